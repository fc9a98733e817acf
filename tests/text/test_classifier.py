"""TextClassifier and the CLI helpers on a small synthetic corpus: fit, predict, save, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mlplab.io import ModelFileError
from mlplab.runs import evaluate_model
from mlplab.text import TextClassifier
from mlplab.text.predict import top_classes
from mlplab.text.sources import detect_language, parse_text_source
from tests.text.toy import toy_corpus


@pytest.fixture(scope="module")
def corpus():
    texts, labels = toy_corpus(n=300, seed=0)
    return texts[:240], labels[:240], texts[240:], labels[240:]


@pytest.fixture(scope="module")
def fitted(corpus):
    texts, labels, _, _ = corpus
    return TextClassifier("mlp", hidden=16, epochs=8, batch_size=32, seed=0).fit(texts, labels)


def test_learns_the_toy_task_and_reports_history(corpus, fitted):
    _, _, test_texts, test_labels = corpus
    assert fitted.class_names == ["a", "b", "c"]
    assert fitted.evaluate(test_texts, test_labels)["accuracy"] > 0.9
    loss = fitted.history.history["loss"]
    assert len(loss) == 8 and loss[-1] < loss[0]


def test_predictions_are_consistent(corpus, fitted):
    texts = corpus[2][:20]
    proba = fitted.predict_proba(texts)
    assert proba.shape == (20, 3)
    np.testing.assert_allclose(proba.sum(1), 1.0, rtol=1e-10)
    ids = fitted.predict(texts)
    assert ids.tolist() == proba.argmax(1).tolist()
    assert fitted.predict_labels(texts) == [fitted.class_names[i] for i in ids]
    best = fitted.top_k(texts[:3], k=2)
    for row, p in zip(best, proba[:3], strict=True):
        assert [name for name, _ in row] == [fitted.class_names[i] for i in np.argsort(-p)[:2]]
        assert row[0][1] == pytest.approx(p.max())


def test_save_load_predicts_identically(tmp_path, corpus, fitted):
    path = fitted.save(tmp_path / "toy.safetensors")
    again = TextClassifier.load(path)
    assert again.class_names == fitted.class_names
    texts = corpus[2] + ["w1 w2 never-seen-word", "zzz only unseen words"]
    np.testing.assert_array_equal(again.predict_proba(texts), fitted.predict_proba(texts))


def test_same_seed_same_model(corpus):
    texts, labels, test_texts, _ = corpus
    a = TextClassifier("mlp", hidden=8, epochs=2, batch_size=64, seed=5).fit(texts, labels)
    b = TextClassifier("mlp", hidden=8, epochs=2, batch_size=64, seed=5).fit(texts, labels)
    np.testing.assert_array_equal(a.predict_proba(test_texts), b.predict_proba(test_texts))


def test_integer_labels_with_class_names(corpus):
    texts, labels, _, _ = corpus
    ids = np.array(["abc".index(v) for v in labels])
    clf = TextClassifier(epochs=2, seed=0).fit(texts, ids, class_names=["x", "y", "z"])
    assert clf.class_names == ["x", "y", "z"]
    assert set(clf.predict_labels(texts[:30])) <= {"x", "y", "z"}


def test_errors(corpus, fitted):
    with pytest.raises(ValueError, match=r"texts\[1\]: the text is empty"):
        fitted.predict(["w1 w2", "   "])
    with pytest.raises(ValueError, match="labels not seen at training time: 'd'"):
        fitted.evaluate(corpus[2][:2], ["a", "d"])
    with pytest.raises(RuntimeError, match="not fitted"):
        TextClassifier().predict(["x"])
    with pytest.raises(ValueError, match="did you mean 'mlp'"):
        TextClassifier("mpl")
    with pytest.raises(ValueError, match="did you mean 'chinese'"):
        TextClassifier(vectorizer="chinse")
    with pytest.raises(ValueError, match="one label per text"):
        TextClassifier().fit(["a b", "c d"], ["x"])
    with pytest.raises(ValueError, match="top_k: k must be an integer >= 1, got 0"):
        fitted.top_k(["w1"], k=0)


def test_loading_a_plain_model_file_says_so(tmp_path):
    import mlplab as ml

    path = ml.save(ml.nn.Sequential(ml.nn.Linear(3, 2)), tmp_path / "plain.safetensors")
    with pytest.raises(ModelFileError, match="not a text classifier"):
        TextClassifier.load(path)


def test_saved_model_evaluates_files_and_ranks_classes(tmp_path, corpus):
    texts, labels, test_texts, test_labels = corpus
    test = tmp_path / "test.jsonl"
    test.write_text("".join(json.dumps({"text": t, "label": y}) + "\n"
                            for t, y in zip(test_texts, test_labels, strict=True)),
                    encoding="utf-8")
    clf = TextClassifier("softmax", epochs=5, batch_size=16, seed=0).fit(texts, labels)
    assert clf.vectorizer.analyzer == "word" and clf.class_names == ["a", "b", "c"]
    path = clf.save(tmp_path / "m.safetensors")
    scores = clf.evaluate(test_texts, test_labels)
    assert scores["accuracy"] > 0.9
    evaluation = evaluate_model(path, f"jsonl:{test}")
    assert evaluation.n == 60 and evaluation.metrics["accuracy"] == scores["accuracy"]
    assert evaluation.confusion.sum() == 60
    rows = top_classes(path, [test_texts[0], test_texts[1]], top=2)
    assert [(r["text"], r["rank"]) for r in rows] == [(0, 1), (0, 2), (1, 1), (1, 2)]
    assert rows[0]["class"] == test_labels[0] and rows[0]["probability"] > rows[1]["probability"]

    bad = tmp_path / "bad.tsv"
    bad.write_text("w1 w2\tzebra\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not seen at training time: 'zebra'"):
        evaluate_model(path, bad)


def test_data_spec_and_language():
    assert parse_text_source("tsv:a/b.txt")[0] == "tsv"
    assert parse_text_source("a/b.jsonl") == (None, parse_text_source("a/b.jsonl")[1])
    with pytest.raises(ValueError, match="unknown text format 'csv'"):
        parse_text_source("csv:a.csv")
    assert detect_language(["东5环海棠公社230-290平2居准现房98折优惠"]) == "chinese"
    assert detect_language(["From: someone\nSubject: the orbit of the moon"]) == "english"
