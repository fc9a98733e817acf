"""``mlplab predict / evaluate / run / gradcheck / graph / lab``: bad input as one line.

Placeholders: {m} a model trained on numbers (2 features, 3 classes), {c} one
trained on a CSV table, {r} a regression model, {t} a text model, {d} the folder
of bad files, {o} an output path that must not appear.
"""

from __future__ import annotations

import pytest

from mlplab.checks import ParameterError
from mlplab.data.text import TextFileError
from mlplab.io import ModelFileError
from mlplab.runs import ConfigError
from tests.badinput.conftest import fill, snapshot, substitutions
from tests.badinput.rows import check_message, row

PREDICT_ROWS = [
    row("model-missing", ["predict", "{d}/none.safetensors", "{d}/points.npy"],
        FileNotFoundError, "model: file not found"),
    row("model-is-csv", ["predict", "{d}/good.csv", "{d}/points.npy"], ModelFileError,
        "good.csv"),
    row("model-is-folder", ["predict", "{d}", "{d}/points.npy"], FileNotFoundError,
        "model"),
    row("model-garbage", ["predict", "{d}/garbage.safetensors", "{d}/points.npy"],
        ModelFileError, "garbage.safetensors"),
    row("model-unreadable", ["predict", "{locked}", "{d}/points.npy"], PermissionError,
        "permission denied"),
    row("input-missing", ["predict", "{m}", "{d}/none.npy"], FileNotFoundError,
        "input: file not found"),
    row("input-folder", ["predict", "{m}", "{d}/texts"], FileNotFoundError, "input"),
    row("input-is-model", ["predict", "{m}", "{m}"], ValueError,
        "expected a .csv or .npy file"),
    row("input-json", ["predict", "{m}", "{d}/data.json"], ValueError,
        "expected a .csv or .npy file"),
    row("input-wrong-width", ["predict", "{m}", "{d}/wide.npy"], ValueError,
        "takes 2 features per sample, received 5"),
    row("input-nan", ["predict", "{m}", "{d}/nan.npy"], ValueError, "row 1, column 1",
        "nan"),
    row("input-strings-npy", ["predict", "{m}", "{d}/strings.npy"], ValueError,
        "expected numbers"),
    row("input-pickled-npy", ["predict", "{m}", "{d}/objects.npy"], ValueError,
        "not a numeric .npy array"),
    row("input-garbage-npy", ["predict", "{m}", "{d}/garbage.npy"], ValueError,
        "garbage.npy", "not a numeric .npy array"),
    row("input-cube-npy", ["predict", "{m}", "{d}/cube.npy"], ValueError,
        "takes 2 features per sample, received 4"),
    row("input-csv-ragged", ["predict", "{m}", "{d}/ragged.csv"], ValueError,
        "row 2 has 2 values"),
    row("input-csv-word", ["predict", "{m}", "{d}/words.csv"], ValueError,
        "'abc', not a number"),
    row("input-csv-empty", ["predict", "{m}", "{d}/empty.csv"], ValueError,
        "no data rows"),
    row("input-csv-latin1", ["predict", "{c}", "{d}/latin1.csv"], ValueError,
        "not utf-8"),
    row("input-csv-unreadable", ["predict", "{m}", "{locked}"], PermissionError,
        "permission denied"),
    row("table-model-missing-column", ["predict", "{c}", "{d}/missing_column.csv"],
        ValueError, "feature column 'x2' not found"),
    row("table-model-word-in-number", ["predict", "{c}", "{d}/text_in_numbers.csv"],
        ValueError, "'abc' is not a number"),
    row("table-model-npy", ["predict", "{c}", "{d}/points.npy"], ValueError,
        "trained on a CSV table"),
    row("output-is-folder", ["predict", "{m}", "{d}/points.npy", "-o", "{d}/texts"],
        IsADirectoryError, "is a directory"),
    row("output-unwritable", ["predict", "{m}", "{d}/points.npy", "-o", "{nowrite}/p.csv"],
        PermissionError, "permission denied"),
    row("top-0", ["predict", "{t}", "--text", "good", "--top", "0"], ParameterError,
        "--top must be an integer >= 1"),
    row("neither-input-nor-text", ["predict", "{m}"], ValueError, "either an INPUT"),
    row("input-and-text", ["predict", "{t}", "{d}/texts.txt", "--text", "good"], ValueError,
        "either an INPUT"),
    row("text-on-dense-model", ["predict", "{m}", "--text", "good"], ValueError,
        "not a text model"),
    row("text-empty", ["predict", "{t}", "--text", " "], ValueError, "the text is empty"),
    row("text-jsonl-no-field", ["predict", "{t}", "{d}/no_field.jsonl"], ValueError,
        "no string field 'text'"),
    row("text-jsonl-empty-text", ["predict", "{t}", "{d}/empty_text.jsonl"], ValueError,
        "line 2", "the text is empty"),
    row("text-input-gb18030", ["predict", "{t}", "{d}/gbk.tsv"], ValueError, "not UTF-8"),
    row("text-input-folder", ["predict", "{t}", "{d}/texts"], OSError, "is a folder"),
]

EVALUATE_ROWS = [
    row("evaluate-model-missing", ["evaluate", "{d}/none.safetensors", "digits"],
        FileNotFoundError, "model: file not found"),
    row("evaluate-model-is-csv", ["evaluate", "{d}/good.csv", "digits"], ModelFileError,
        "good.csv"),
    row("evaluate-source-typo", ["evaluate", "{m}", "digitz"], ValueError,
        "did you mean 'digits'"),
    row("evaluate-split-typo", ["evaluate", "{m}", "digits", "--split", "dev"], ValueError,
        "split must be one of"),
    row("evaluate-wrong-width", ["evaluate", "{m}", "digits"], ValueError,
        "takes 2 features per sample, received 64"),
    row("evaluate-no-target", ["evaluate", "{c}", "csv:{d}/missing_column.csv"],
        ValueError, "x1"),
    row("evaluate-new-labels", ["evaluate", "{c}", "csv:{d}/new_labels.csv"], ValueError,
        "label 'q'", "not seen"),
    row("evaluate-csv-missing", ["evaluate", "{c}", "csv:{d}/none.csv"], FileNotFoundError,
        "none.csv"),
    row("evaluate-numbers-model-on-table", ["evaluate", "{m}", "csv:{d}/three_numbers.csv"],
        ValueError, "target column 'x3' holds 3, 4", "not among the model's classes"),
    row("evaluate-regression-words", ["evaluate", "{r}", "csv:{d}/count_words.csv"],
        ValueError, "'many'", "not a finite number"),
    row("evaluate-text-split-test", ["evaluate", "{t}", "tsv:{d}/reviews.tsv", "--split",
                                     "test"], ValueError, "--split all"),
    row("evaluate-text-unseen-label", ["evaluate", "{t}", "tsv:{d}/unseen.tsv"], ValueError,
        "'maybe'", "not seen at training time"),
    row("evaluate-text-not-utf8", ["evaluate", "{t}", "tsv:{d}/gbk.tsv"], TextFileError,
        "not utf-8"),
]

OTHER_ROWS = [
    row("run-epochs-negative", ["run", "--epochs", "-1", "-o", "{o}"], ConfigError,
        "epochs must be an integer >= 0"),
    row("run-seed-negative", ["run", "--seed", "-1", "-o", "{o}"], ConfigError,
        "seed must be an integer >= 0, got -1"),
    row("run-name-slash", ["run", "--name", "a/b", "-o", "{o}"], ConfigError,
        "plain folder name"),
    row("gradcheck-seed-negative", ["gradcheck", "--seed", "-1"], ParameterError,
        "--seed must be an integer >= 0, got -1"),
    row("gradcheck-eps-0", ["gradcheck", "--eps", "0"], ParameterError, "--eps"),
    row("gradcheck-op-typo", ["gradcheck", "--op", "relux"], ValueError,
        "unknown primitive 'relux'", "did you mean 'relu'"),
    row("graph-syntax", ["graph", "x+"], ValueError, "x+"),
    row("graph-missing-value", ["graph", "x*y", "--x", "1"], ValueError,
        "no value for y"),
    row("graph-not-a-number", ["graph", "x*2", "--x", "two"], ValueError,
        "expected a number, got 'two'"),
    row("graph-code", ["graph", "__import__('os')", "--out", "{o}/g.dot"], ValueError,
        "__import__"),
    row("graph-out-format", ["graph", "x*2", "--x", "1", "--out", "{o}/g.xyz"], ValueError,
        ".xyz"),
    row("lab-unknown", ["lab", "run", "initialisations", "--out", "{o}"], ValueError,
        "did you mean 'initializations'"),
    row("lab-seed-negative", ["lab", "run", "initializations", "--seed", "-1", "--out",
                              "{o}"], ParameterError, "seed must be an integer >= 0"),
    row("lab-option-unknown", ["lab", "run", "initializations", "--option", "colour=red",
                               "--out", "{o}"], ValueError, "colour"),
]

ROWS = PREDICT_ROWS + EVALUATE_ROWS + OTHER_ROWS


@pytest.mark.parametrize("case", ROWS)
def test_command_refuses_in_one_line_and_leaves_nothing(case, bad, models, cli, tmp_path):
    out = tmp_path / "out"
    values = substitutions(bad, models, out)
    args = [fill(a, values, tmp_path) for a in case.call]
    watched = (bad, models["run"].parent)
    before = snapshot(*watched)
    result, err = cli(args)
    assert result.exit_code == 1, result.output
    errors = [ln for ln in result.output.strip().splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1 and "Traceback" not in result.output, result.output
    assert isinstance(err, case.error), f"{type(err).__name__}: {err}"
    check_message(errors[0], case)
    assert not out.exists(), sorted(snapshot(out))
    assert snapshot(*watched) == before
