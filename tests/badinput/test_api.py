"""The Python API: every loader, encoder, config, run and saved-model entry point refuses bad
input with one clear line, and leaves no file behind.

Each row is a function of (bad files folder, trained models, an empty folder) that
must raise the row's error type with its words in a short, one-line message.
"""

from __future__ import annotations

import numpy as np
import pytest

import mlplab as ml
from mlplab.checks import ParameterError
from mlplab.data import TabularEncoder, TextVectorizer, load_csv, load_text, read_csv_columns
from mlplab.data.idx import read_idx
from mlplab.data.text import TextFileError
from mlplab.data.validation import check_two_classes
from mlplab.io import ModelFileError
from mlplab.memory import TooLargeError
from mlplab.runs import (
    ConfigError,
    evaluate_model,
    load_config,
    load_trained,
    make_config,
    parse_data_spec,
    predict_file,
    resume_experiment,
    run_experiment,
)
from mlplab.runs.models import build_mlp
from mlplab.text import TextClassifier
from mlplab.train import Trainer
from tests.badinput.conftest import snapshot
from tests.badinput.files import unreadable_file
from tests.badinput.rows import check_message, row


def _table(n: int, width: int) -> dict[str, np.ndarray]:
    return {f"c{j}": np.array([f"v{i}" for i in range(n)]) for j in range(width)}


def _run(d, o, **settings):
    return run_experiment(make_config({"epochs": 2, "output_dir": str(o), **settings}))


LOADER_ROWS = [
    row("read-csv-missing", lambda d, m, o: read_csv_columns(d / "none.csv"),
        FileNotFoundError, "CSV file not found", "none.csv"),
    row("read-csv-folder", lambda d, m, o: read_csv_columns(d / "folder.csv"),
        IsADirectoryError, "is a folder"),
    row("read-csv-empty", lambda d, m, o: read_csv_columns(d / "empty.csv"), ValueError,
        "the file is empty"),
    row("read-csv-ragged", lambda d, m, o: read_csv_columns(d / "ragged.csv"), ValueError,
        "data row 2 has 2 fields"),
    row("read-csv-latin1", lambda d, m, o: read_csv_columns(d / "latin1.csv"), ValueError,
        "not utf-8", "byte 0xe9"),
    row("read-csv-duplicates", lambda d, m, o: read_csv_columns(d / "dupes.csv"),
        ValueError, "duplicate column names"),
    row("read-csv-unreadable", lambda d, m, o: read_csv_columns(unreadable_file(o)),
        PermissionError, "locked.csv"),
    row("load-csv-target-missing", lambda d, m, o: load_csv(d / "good.csv", "y"),
        ValueError, "target column 'y' not found"),
    row("load-csv-encoder-type", lambda d, m, o: load_csv(d / "good.csv", encoder="x"),
        TypeError, "expected a TabularEncoder"),
    row("load-csv-inf", lambda d, m, o: load_csv(d / "inf.csv", "label"), ValueError,
        "column 'x1'", "not a finite number"),
    row("encoder-max-categories-0", lambda d, m, o: TabularEncoder(max_categories=0),
        ParameterError, "max_categories must be an integer >= 1"),
    row("encoder-missing-mode", lambda d, m, o: TabularEncoder(categorical_missing="median"),
        ParameterError, "categorical_missing", "'category', 'mode'"),
    row("encoder-too-many-categories",
        lambda d, m, o: TabularEncoder(max_categories=10).fit(_table(20, 1)), TooLargeError,
        "column 'c0' has 20 distinct values", "max_categories=10"),
    row("encoder-identifier", lambda d, m, o: TabularEncoder().fit(_table(100, 1)),
        TooLargeError, "identifier", "drop=['c0']"),
    row("encoder-unfitted", lambda d, m, o: TabularEncoder().transform({}), RuntimeError,
        "not fitted"),
    row("encoder-bad-state", lambda d, m, o: TabularEncoder.from_dict({"type": "x"}),
        ValueError, "TabularEncoder.to_dict"),
    row("load-text-missing", lambda d, m, o: load_text(d / "none.tsv"), FileNotFoundError,
        "none.tsv"),
    row("load-text-folder", lambda d, m, o: load_text(d / "texts"), IsADirectoryError,
        "is a folder"),
    row("load-text-empty", lambda d, m, o: load_text(d / "empty.tsv"), TextFileError,
        "the file is empty"),
    row("load-text-no-label", lambda d, m, o: load_text(d / "no_label.tsv"), TextFileError,
        "line 2: no label"),
    row("load-text-gb18030", lambda d, m, o: load_text(d / "gbk.tsv"), TextFileError,
        "looks like GB18030"),
    row("load-text-bad-json", lambda d, m, o: load_text(d / "bad.jsonl"), TextFileError,
        "line 2: not valid JSON"),
    row("load-text-format", lambda d, m, o: load_text(d / "reviews.tsv", format="csv"),
        ValueError, "expected 'tsv' or 'jsonl'"),
    row("load-text-label-names", lambda d, m, o: load_text(d / "reviews.tsv",
                                                           label_names=["a", "a"]),
        ValueError, "distinct class names"),
    row("load-text-unseen-label", lambda d, m, o: load_text(d / "reviews.tsv",
                                                            label_names=["pos"]),
        ValueError, "'neg'", "not seen at training time"),
    row("read-idx-missing", lambda d, m, o: read_idx(d / "none.idx"), FileNotFoundError,
        "IDX file not found"),
    row("read-idx-stub", lambda d, m, o: read_idx(d / "stub.idx"), ValueError,
        "too short for an IDX header"),
    row("read-idx-magic", lambda d, m, o: read_idx(d / "bad_magic.idx"), ValueError,
        "not an IDX file"),
    row("read-idx-truncated", lambda d, m, o: read_idx(d / "short.idx"), ValueError,
        "short.idx"),
    row("read-idx-gzip", lambda d, m, o: read_idx(d / "broken_mnist" /
                                                  "train-labels-idx1-ubyte.gz"),
        ValueError, "not an IDX file"),
    row("vectorizer-kind", lambda d, m, o: TextVectorizer(kind="tfidff"), ParameterError,
        "did you mean 'tfidf'"),
]

MODEL_ROWS = [
    row("tensor-strings", lambda d, m, o: ml.tensor(["a", "b"]), ParameterError,
        "tensor: data must be numbers", "['a', 'b']"),
    row("tensor-objects", lambda d, m, o: ml.tensor([{"a": 1}]), ParameterError,
        "must be numbers"),
    row("sgd-momentum-5", lambda d, m, o: ml.optim.SGD(ml.nn.Linear(2, 2).parameters(),
                                                       momentum=5), ParameterError,
        "SGD: momentum must be a finite number in [0, 1), got 5"),
    row("rmsprop-momentum-1", lambda d, m, o: ml.optim.RMSprop(
        ml.nn.Linear(2, 2).parameters(), momentum=1.0), ParameterError, "momentum"),
    row("optimizer-of-another-model", lambda d, m, o: Trainer(
        ml.nn.Linear(2, 2), "cross_entropy", ml.optim.SGD(ml.nn.Linear(2, 2).parameters())),
        ValueError, "none of the optimizer's 2 parameters belongs to the model"),
    row("mlp-too-large", lambda d, m, o: build_mlp(10, 2, [10**9, 10**9]), TooLargeError,
        "parameters", "GiB", "narrower hidden layers"),
    row("two-classes-one", lambda d, m, o: check_two_classes(np.zeros(5, int), ["cat"]),
        ValueError, "all 5 training samples have the class 'cat'"),
    row("text-one-text", lambda d, m, o: TextClassifier().fit(["hello world"], ["a"]),
        ValueError, "the only training sample has the class 'a'"),
    row("text-one-class", lambda d, m, o: TextClassifier().fit(["a b", "c d"], ["x", "x"]),
        ValueError, "two classes or more"),
    row("text-labels-length", lambda d, m, o: TextClassifier().fit(["a", "b"], ["x"]),
        ValueError, "one label per text"),
    row("text-preset", lambda d, m, o: TextClassifier(vectorizer="englsh"), ParameterError,
        "did you mean 'english'"),
    row("text-predict-unfitted", lambda d, m, o: TextClassifier().predict(["a"]),
        RuntimeError, "not fitted"),
]

RUN_ROWS = [
    row("config-lr", lambda d, m, o: make_config(lr=-1), ConfigError, "lr", "got -1"),
    row("config-epochs-float", lambda d, m, o: make_config(epochs=1.5), ConfigError,
        "epochs must be an integer"),
    row("config-hidden-0", lambda d, m, o: make_config(hidden=[0]), ConfigError,
        "hidden[0]"),
    row("config-unknown", lambda d, m, o: make_config(learning_rate=0.1), ConfigError,
        "did you mean 'lr'"),
    row("config-empty-target", lambda d, m, o: make_config(data="csv:x.csv,target="),
        ConfigError, "has no value"),
    row("config-file-missing", lambda d, m, o: load_config(d / "none.toml"),
        FileNotFoundError, "config: file not found"),
    row("config-file-invalid", lambda d, m, o: load_config(d / "bad.toml"), ConfigError,
        "not valid TOML"),
    row("data-spec-typo", lambda d, m, o: parse_data_spec("synthetic:spiral"), ValueError,
        "did you mean 'spirals'"),
    row("run-not-a-config", lambda d, m, o: run_experiment({"data": "digits"}), TypeError,
        "must be a TrainConfig"),
    row("run-three-samples", lambda d, m, o: _run(d, o, data=f"csv:{d}/tiny.csv"),
        ValueError, "only 3 samples"),
    row("run-one-class", lambda d, m, o: _run(d, o, data=f"csv:{d}/one_class.csv"),
        ValueError, "two classes or more"),
    row("run-counts-as-classes", lambda d, m, o: _run(d, o, data=f"csv:{d}/counts.csv"),
        ValueError, "60 distinct integers", "regression"),
    row("run-diverges", lambda d, m, o: _run(d, o, data="synthetic:moons", optimizer="sgd",
                                             lr=100.0), ArithmeticError, "diverged"),
    row("resume-nothing", lambda d, m, o: resume_experiment(m["run"]), FileNotFoundError,
        "nothing to resume"),
    row("resume-missing", lambda d, m, o: resume_experiment(o / "nowhere"),
        FileNotFoundError, "run folder not found"),
]

SAVED_MODEL_ROWS = [
    row("load-missing", lambda d, m, o: load_trained(d / "none.safetensors"),
        FileNotFoundError, "model: file not found"),
    row("load-csv", lambda d, m, o: load_trained(d / "good.csv"), ModelFileError,
        "good.csv"),
    row("load-folder", lambda d, m, o: load_trained(d), FileNotFoundError, "model"),
    row("proba-wrong-width", lambda d, m, o: load_trained(m["m"]).predict_proba(
        np.zeros((3, 5))), ValueError, "takes 2 features per sample, received 5"),
    row("proba-strings", lambda d, m, o: load_trained(m["m"]).predict_proba(
        [["a", "b"]]), ValueError, "expected numbers"),
    row("proba-nan", lambda d, m, o: load_trained(m["m"]).predict_proba(
        [[0.0, np.nan]]), ValueError, "row 0, column 1"),
    row("proba-1d", lambda d, m, o: load_trained(m["m"]).predict_proba(np.zeros(2)),
        ValueError, "2-D array"),
    row("proba-array-for-table", lambda d, m, o: load_trained(m["c"]).predict_proba(
        np.zeros((1, 2))), TypeError, "trained on a CSV table", "x1, x2"),
    row("proba-table-missing-column", lambda d, m, o: load_trained(m["c"]).predict_proba(
        {"x1": ["1"]}), ValueError, "feature column 'x2' not found"),
    row("proba-table-for-array", lambda d, m, o: load_trained(m["m"]).predict_proba(
        {"x1": ["1"]}), ValueError, "trained on numeric arrays"),
    row("proba-regression", lambda d, m, o: load_trained(m["r"]).predict_proba(
        np.zeros((1, 2))), TypeError, "predicts values", "predict(inputs)"),
    row("proba-text-model", lambda d, m, o: load_trained(m["t"]).predict_proba(["good"]),
        TypeError, "TextClassifier.load"),
    row("predict-file-suffix", lambda d, m, o: predict_file(m["m"], d / "data.json"),
        ValueError, "expected a .csv or .npy file"),
    row("predict-file-output-folder", lambda d, m, o: predict_file(
        m["m"], d / "points.npy", d / "texts"), IsADirectoryError, "is a directory"),
    row("evaluate-split", lambda d, m, o: evaluate_model(m["m"], "digits", split="dev"),
        ValueError, "split must be one of"),
]

ROWS = LOADER_ROWS + MODEL_ROWS + RUN_ROWS + SAVED_MODEL_ROWS


@pytest.mark.parametrize("case", ROWS)
def test_api_refuses_in_one_line_and_leaves_nothing(case, bad, models, tmp_path,
                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    watched = (bad, models["run"].parent)
    before = snapshot(*watched)
    with pytest.raises(case.error) as caught:
        case.call(bad, models, tmp_path)
    check_message(str(caught.value), case)
    assert snapshot(*watched) == before
    assert [p.name for p in tmp_path.iterdir()] in ([], ["locked.csv"])
