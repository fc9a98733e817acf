"""Issue 7's accuracy targets on the real test splits (THUCNews headlines, 20 Newsgroups).

Not timed. Settings are the library's defaults for each model (see docs/text.md);
one seed, so each run is the same computation.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from mlplab.cli import app
from mlplab.data import load_text
from mlplab.runs import evaluate_model
from mlplab.text import TextClassifier
from mlplab.text.predict import top_classes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def thucnews(datasets_dir):
    folder = datasets_dir / "thucnews_titles"
    train = load_text(folder / "train.txt")
    test = load_text(folder / "test.txt", label_names=train[2])
    return train, test


@pytest.fixture(scope="module")
def newsgroups(datasets_dir):
    folder = datasets_dir / "20newsgroups_bydate"
    train = load_text(folder / "train.jsonl.gz")
    test = load_text(folder / "test.jsonl.gz", label_names=train[2])
    return train, test


def test_thucnews_softmax_regression_from_the_cli_reaches_090(datasets_dir, tmp_path):
    # `mlplab train --task text`: character 1–2-gram TF-IDF, Adam lr 1e-2, batch 64,
    # 3 epochs; dev.txt and test.txt beside train.txt are found and used
    folder = datasets_dir / "thucnews_titles"
    result = CliRunner().invoke(app, [
        "train", "--task", "text", "--data", f"tsv:{folder / 'train.txt'}", "--option",
        "features=chinese_chars", "--output-dir", str(tmp_path), "--quiet"])
    assert result.exit_code == 0, result.output
    model = tmp_path / "thucnews_titles" / "model.safetensors"
    test = load_text(folder / "test.txt")
    clf = TextClassifier.load(model)
    accuracy = float(np.mean(clf.predict(test[0]) == test[1]))
    assert accuracy >= 0.90, f"THUCNews softmax regression test accuracy {accuracy:.4f}"
    assert f"{accuracy:.4f}" in result.output and "10000" in result.output


def test_thucnews_mlp_reaches_091_and_predicts_after_reload(thucnews, datasets_dir, tmp_path):
    (texts, y, names), (test_texts, test_y, _) = thucnews
    # jieba words + character 1–2-grams; 64 hidden units, dropout 0.5, 4 epochs
    clf = TextClassifier("mlp", vectorizer="chinese", seed=0)
    clf.fit(texts, y, class_names=names)
    scores = clf.evaluate(test_texts, test_y)
    assert scores["accuracy"] >= 0.91

    path = clf.save(tmp_path / "thucnews_mlp.safetensors")
    again = TextClassifier.load(path)
    np.testing.assert_array_equal(again.predict_proba(test_texts[:1000]),
                                  clf.predict_proba(test_texts[:1000]))
    # the evaluate command's path: test file read against the model's own classes
    test_file = datasets_dir / "thucnews_titles" / "test.txt"
    assert evaluate_model(path, f"tsv:{test_file}").metrics["accuracy"] == scores["accuracy"]
    rows = top_classes(path, "国足3比0完胜对手晋级世界杯决赛圈", top=3)
    assert rows[0]["class"] == "sports" and len(rows) == 3


def test_20newsgroups_mlp_reaches_086(newsgroups):
    (texts, y, names), (test_texts, test_y, _) = newsgroups
    # word unigram TF-IDF (sublinear tf), 64 hidden units, batch 256, 5 epochs
    clf = TextClassifier("mlp", vectorizer="english", batch_size=256, epochs=5, seed=0)
    clf.fit(texts, y, class_names=names)
    assert clf.evaluate(test_texts, test_y)["accuracy"] >= 0.86
