"""``mlplab train --task text``, ``evaluate`` and ``predict --text`` on a small corpus."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from mlplab.cli import app
from mlplab.text import TextClassifier
from tests.text.toy import toy_corpus

runner = CliRunner()


def _invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    """train.tsv (text<TAB>label) and test.jsonl beside it, as the real corpora ship."""
    folder = tmp_path_factory.mktemp("toy_corpus")
    texts, labels = toy_corpus(n=360, seed=1)
    (folder / "train.tsv").write_text(
        "".join(f"{t}\t{y}\n" for t, y in zip(texts[:300], labels[:300], strict=True)),
        encoding="utf-8")
    (folder / "test.jsonl").write_text(
        "".join(json.dumps({"text": t, "label": y}) + "\n"
                for t, y in zip(texts[300:], labels[300:], strict=True)), encoding="utf-8")
    return folder, texts[300:], labels[300:]


@pytest.fixture(scope="module")
def text_run(corpus_dir, tmp_path_factory):
    folder, _, _ = corpus_dir
    out = tmp_path_factory.mktemp("runs")
    result = _invoke("train", "--task", "text", "--data", f"tsv:{folder / 'train.tsv'}",
                     "--hidden", "16", "--epochs", "8", "--batch-size", "16", "--lr", "0.01",
                     "--option", f"test={folder / 'test.jsonl'}", "--output-dir", out,
                     "--name", "toy")
    return out / "toy", result


def test_train_text_writes_a_run_that_predicts_from_raw_text(text_run, corpus_dir):
    run_dir, result = text_run
    _, test_texts, test_labels = corpus_dir
    assert result.exit_code == 0, result.output
    assert "epoch 8/8" in result.output and "→ 16 ReLU → dropout 0.5" in result.output
    for name in ("model.safetensors", "history.csv", "learning_curves.png",
                 "confusion_matrix.png", "report.txt", "config.toml"):
        assert (run_dir / name).is_file(), name
    config = (run_dir / "config.toml").read_text(encoding="utf-8")
    assert 'model = "mlp"' in config and 'features = "english"' in config
    clf = TextClassifier.load(run_dir / "model.safetensors")
    accuracy = np.mean(np.array(clf.predict_labels(test_texts)) == np.array(test_labels))
    assert accuracy > 0.9  # 3 separable classes; chance is 1/3
    assert f"{accuracy:.4f}" in result.output  # the test row of the metrics table


def test_evaluate_text_model_on_a_labelled_file(text_run, corpus_dir):
    run_dir, _ = text_run
    folder, test_texts, test_labels = corpus_dir
    result = _invoke("evaluate", run_dir / "model.safetensors", f"jsonl:{folder / 'test.jsonl'}")
    assert result.exit_code == 0, result.output
    clf = TextClassifier.load(run_dir / "model.safetensors")
    assert f"{clf.evaluate(test_texts, test_labels)['accuracy']:.4f}" in result.output
    assert "macro avg" in result.output


def test_predict_text_prints_top_classes_and_files_give_csv(text_run, corpus_dir, tmp_path):
    run_dir, _ = text_run
    _, test_texts, _ = corpus_dir
    model = run_dir / "model.safetensors"
    clf = TextClassifier.load(model)
    result = _invoke("predict", model, "--text", test_texts[0], "--top", "2")
    assert result.exit_code == 0, result.output
    best, second = clf.top_k([test_texts[0]], k=2)[0]
    assert best[0] in result.output and f"{best[1]:.4f}" in result.output
    assert f"{second[1]:.4f}" in result.output

    inputs = tmp_path / "texts.txt"
    inputs.write_text("\n".join(test_texts[:5]) + "\n\n", encoding="utf-8")
    result = _invoke("predict", model, inputs)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["class"] for r in rows] == clf.predict_labels(test_texts[:5])
    # a word the model never saw is ignored, not an error
    assert _invoke("predict", model, "--text", test_texts[0] + " neverseen").exit_code == 0


@pytest.mark.parametrize(("args", "fragment"), [
    (("--text", ""), "the text is empty"),
    ((), "pass either an INPUT file or --text"),
    (("--text", "w1", "--top", "0"), "predict: --top must be an integer >= 1"),
])
def test_predict_bad_input_is_one_line(text_run, args, fragment):
    run_dir, _ = text_run
    result = _invoke("predict", run_dir / "model.safetensors", *args)
    assert result.exit_code == 1 and fragment in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(("args", "fragment"), [
    (("--option", "modle=mlp"), "did you mean 'model'?"),
    (("--standardize",), "standardize is for dense inputs"),
    (("--gaussian-noise", "0.1"), "gaussian_noise is for dense inputs"),
    (("--loss", "mse"), "loss='mse' does not fit the text task"),
    (("--hidden", "16,8"), "the text MLP has one hidden layer"),
    (("--dropout", "0.3"), "softmax regression has none"),
    (("--option", "test=missing.jsonl"), "options.test: file not found"),
])
def test_train_text_bad_settings_are_one_line(corpus_dir, tmp_path, args, fragment):
    folder, _, _ = corpus_dir
    result = _invoke("train", "--task", "text", "--data", f"tsv:{folder / 'train.tsv'}",
                     "--output-dir", tmp_path, *args)
    assert result.exit_code == 1, result.output
    assert fragment in result.output and "Traceback" not in result.output


def test_text_and_dense_models_refuse_each_others_inputs(text_run, tmp_path):
    run_dir, _ = text_run
    dense = _invoke("train", "--data", "synthetic:xor,n=60", "--epochs", "1", "--quiet",
                    "--output-dir", tmp_path, "--name", "xor")
    assert dense.exit_code == 0, dense.output
    result = _invoke("predict", tmp_path / "xor" / "model.safetensors", "--text", "hello")
    assert result.exit_code == 1 and "is not a text model" in result.output


def test_text_task_takes_the_network_and_optimizer_settings(corpus_dir, tmp_path):
    folder, test_texts, test_labels = corpus_dir
    result = _invoke("train", "--task", "text", "--data", f"tsv:{folder / 'train.tsv'}",
                     "--hidden", "16", "--activation", "tanh", "--norm", "layer",
                     "--optimizer", "sgd", "--momentum", "0.9", "--lr", "0.1",
                     "--epochs", "6", "--batch-size", "16", "--quiet",
                     "--output-dir", tmp_path, "--name", "toy-sgd")
    assert result.exit_code == 0, result.output
    assert "→ 16 Tanh → layer norm → dropout 0.5 → softmax 3" in result.output
    clf = TextClassifier.load(tmp_path / "toy-sgd" / "model.safetensors")
    assert [type(m).__name__ for m in clf.model] == ["Linear", "LayerNorm", "Tanh", "Dropout",
                                                     "Linear"]
    accuracy = np.mean(np.array(clf.predict_labels(test_texts)) == np.array(test_labels))
    assert accuracy > 0.8
