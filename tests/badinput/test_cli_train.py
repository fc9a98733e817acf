"""``mlplab train``: every data source, setting, config file and output mistake as one line.

Each row runs the command in an empty working folder with ``-o {o}``; it must end
with exit status 1, one ``error:`` line naming the problem (the library's exception
type is checked too), and leave no file anywhere: not in the output folder, not
beside the data.
"""

from __future__ import annotations

import pytest

from mlplab.data.text import TextFileError
from mlplab.memory import TooLargeError
from mlplab.runs import ConfigError
from tests.badinput.conftest import fill, snapshot, substitutions
from tests.badinput.rows import check_message, row


def train(*args: str) -> list[str]:
    return ["train", "-q", "-o", "{o}", "--epochs", "2", *args]


DATA_ROWS = [
    row("csv-missing", train("--data", "csv:{d}/missing.csv"), FileNotFoundError,
        "CSV file not found", "missing.csv"),
    row("csv-folder", train("--data", "csv:{d}/folder.csv"), IsADirectoryError,
        "is a folder"),
    row("csv-empty", train("--data", "csv:{d}/empty.csv"), ValueError, "empty"),
    row("csv-header-only", train("--data", "csv:{d}/header_only.csv"), ValueError,
        "no data rows"),
    row("csv-ragged", train("--data", "csv:{d}/ragged.csv"), ValueError,
        "data row 2 has 2 fields, expected 3", "delimiter"),
    row("csv-tabs", train("--data", "csv:{d}/tabs.csv"), ValueError, "tab-separated"),
    row("csv-semicolons", train("--data", "csv:{d}/semicolons.csv"), ValueError,
        "semicolon-separated"),
    row("csv-inf", train("--data", "csv:{d}/inf.csv"), ValueError, "column 'x1'",
        "'inf'", "not a finite number"),
    row("csv-latin1", train("--data", "csv:{d}/latin1.csv"), ValueError, "latin1.csv",
        "not utf-8"),
    row("csv-is-a-model", train("--data", "csv:{m}"), ValueError, "model.safetensors",
        "is it a csv file"),
    row("csv-is-npy", train("--data", "csv:{d}/wide.npy"), ValueError, "not utf-8"),
    row("csv-unreadable", train("--data", "csv:{locked}"), PermissionError,
        "locked.csv", "permission denied"),
    row("csv-no-target", train("--data", "csv:{d}/good.csv,target=y"), ValueError,
        "no target column 'y'", "x1, x2, label"),
    row("csv-target-typo", train("--data", "csv:{d}/good.csv,target=labl"), ValueError,
        "did you mean 'label'"),
    row("csv-drop-missing", train("--data", "csv:{d}/good.csv,drop=zz"), ValueError,
        "no drop column 'zz'"),
    row("csv-empty-target", train("--data", "csv:{d}/good.csv,target="), ConfigError,
        "target=", "has no value"),
    row("csv-unknown-option", train("--data", "csv:{d}/good.csv,sep=;"), ConfigError,
        "unknown option 'sep'"),
    row("csv-one-class", train("--data", "csv:{d}/one_class.csv"), ValueError,
        "class 'a'", "two classes or more"),
    row("csv-three-rows", train("--data", "csv:{d}/tiny.csv"), ValueError,
        "only 3 samples", "10 samples or more"),
    row("csv-counts-as-classes", train("--data", "csv:{d}/counts.csv"), ValueError,
        "60 distinct integers", "--task regression"),
    row("csv-prices-as-classes", train("--data", "csv:{d}/prices.csv"), ValueError,
        "non-integer", "--task regression"),
    row("csv-rare-class", train("--data", "csv:{d}/rare.csv"), ValueError,
        "class 'z' has a single sample"),
    row("csv-identifier-column", train("--data", "csv:{d}/ids.csv"), TooLargeError,
        "column 'id'", "identifier", "drop=COLUMN"),
    row("csv-all-targets-missing", train("--data", "csv:{d}/no_target.csv"), ValueError,
        "empty (0 samples)"),
    row("csv-only-target", train("--data", "csv:{d}/only_target.csv"), ValueError,
        "only the column 'label'"),
    row("csv-duplicate-columns", train("--data", "csv:{d}/dupes.csv"), ValueError,
        "duplicate column names"),
    row("csv-no-path", train("--data", "csv:"), ConfigError, "needs a file"),
    row("csv-test-split-0", train("--data", "csv:{d}/good.csv", "--test-split", "0"),
        ValueError, "test_split > 0"),
    row("regression-text-target",
        train("--data", "csv:{d}/text_target.csv", "--task", "regression"), ValueError,
        "holds 'a'", "not a finite number"),
    row("regression-inf-target",
        train("--data", "csv:{d}/inf_target.csv", "--task", "regression"), ValueError,
        "'inf'", "not a finite number"),
    row("regression-on-digits", train("--data", "digits", "--task", "regression"),
        ConfigError, "regression", "reads"),
    row("source-typo", train("--data", "cvs:{d}/good.csv"), ConfigError,
        "unknown data source 'cvs'", "did you mean 'csv'"),
    row("digits-with-path", train("--data", "digits:{d}"), ConfigError, "takes no path"),
    row("synthetic-typo", train("--data", "synthetic:moon"), ConfigError,
        "did you mean 'moons'"),
    row("synthetic-n-text", train("--data", "synthetic:moons,n=abc"), ConfigError,
        "n='abc' is not a int"),
    row("synthetic-n-zero", train("--data", "synthetic:moons,n=0"), ConfigError,
        "n must be >= 1"),
    row("synthetic-noise-negative", train("--data", "synthetic:moons,noise=-1"),
        ConfigError, "noise must be >= 0"),
    row("synthetic-too-few", train("--data", "synthetic:moons,n=4"), ValueError,
        "only 4 samples"),
    row("mnist-missing-folder", train("--data", "mnist:{d}/nowhere"), FileNotFoundError,
        "nowhere"),
    row("mnist-empty-folder", train("--data", "mnist:{d}/empty_mnist"), FileNotFoundError,
        "empty_mnist"),
    row("mnist-broken-idx", train("--data", "mnist:{d}/broken_mnist"), ValueError,
        "broken_mnist", "idx"),
    row("tsv-for-classify", train("--data", "tsv:{d}/reviews.tsv"), ConfigError,
        "tsv data", "task"),
    row("csv-for-text", train("--data", "csv:{d}/good.csv", "--task", "text"), ConfigError,
        "csv data", "'text' task"),
]

TEXT_ROWS = [
    row("tsv-missing", train("--task", "text", "--data", "tsv:{d}/nope.tsv"),
        FileNotFoundError, "nope.tsv"),
    row("tsv-folder", train("--task", "text", "--data", "tsv:{d}/texts"), OSError,
        "texts"),
    row("tsv-empty", train("--task", "text", "--data", "tsv:{d}/empty.tsv"), TextFileError,
        "empty.tsv"),
    row("tsv-no-label", train("--task", "text", "--data", "tsv:{d}/no_label.tsv"),
        TextFileError, "line 2", "no label"),
    row("tsv-one-class", train("--task", "text", "--data", "tsv:{d}/one_class.tsv"),
        ValueError, "one_class.tsv", "class 'pos'", "two classes or more"),
    row("tsv-gb18030", train("--task", "text", "--data", "tsv:{d}/gbk.tsv"), TextFileError,
        "not utf-8", "gb18030"),
    row("jsonl-not-json", train("--task", "text", "--data", "jsonl:{d}/bad.jsonl"),
        TextFileError, "line 2", "not valid json"),
    row("jsonl-no-field", train("--task", "text", "--data", "jsonl:{d}/no_field.jsonl"),
        TextFileError, "no 'text' field"),
    row("jsonl-array", train("--task", "text", "--data", "jsonl:{d}/array.jsonl"),
        TextFileError, "expected a json object"),
    row("text-model-typo", train("--task", "text", "--data", "tsv:{d}/reviews.tsv",
                                 "--option", "model=mlpp"), ConfigError,
        "unknown text model 'mlpp'", "did you mean 'mlp'"),
    row("text-features-typo", train("--task", "text", "--data", "tsv:{d}/reviews.tsv",
                                    "--option", "features=englsh"), ConfigError,
        "did you mean 'english'"),
    row("text-standardize", train("--task", "text", "--data", "tsv:{d}/reviews.tsv",
                                  "--standardize"), ConfigError, "standardize",
        "dense inputs"),
    row("text-two-hidden", train("--task", "text", "--data", "tsv:{d}/reviews.tsv",
                                 "--hidden", "8,8"), ConfigError, "one hidden layer"),
    row("text-dev-missing", train("--task", "text", "--data", "tsv:{d}/reviews.tsv",
                                  "--option", "dev={d}/nodev.tsv"), FileNotFoundError,
        "options.dev", "nodev.tsv"),
    row("option-no-equals", train("--option", "model"), ValueError,
        "expected KEY=VALUE"),
    row("option-for-classify", train("--option", "model=mlp"), ConfigError,
        "takes no options"),
]

SETTING_ROWS = [
    row("epochs-negative", train("--epochs", "-1"), ConfigError,
        "epochs must be an integer >= 0, got -1"),
    row("batch-size-0", train("--batch-size", "0"), ConfigError, "batch_size", ">= 1"),
    row("lr-0", train("--lr", "0"), ConfigError, "lr must be a finite number > 0"),
    row("lr-negative", train("--lr", "-1"), ConfigError, "lr", "got -1"),
    row("lr-nan", train("--lr", "nan"), ConfigError, "lr", "nan"),
    row("lr-inf", train("--lr", "inf"), ConfigError, "lr", "inf"),
    row("momentum-5", train("--optimizer", "sgd", "--momentum", "5"), ConfigError,
        "momentum must be a finite number in [0, 1), got 5"),
    row("momentum-for-adam", train("--momentum", "0.9"), ConfigError,
        "momentum is a setting of sgd, rmsprop"),
    row("nesterov-alone", train("--optimizer", "sgd", "--nesterov"), ConfigError,
        "nesterov=true needs momentum > 0"),
    row("beta1-1", train("--beta1", "1"), ConfigError, "beta1", "[0, 1)"),
    row("beta2-negative", train("--beta2", "-0.1"), ConfigError, "beta2"),
    row("dropout-1", train("--dropout", "1.0"), ConfigError, "dropout", "[0, 1)"),
    row("dropout-list-length", train("--hidden", "8", "--dropout", "0.2,0.3"), ConfigError,
        "dropout has 2 entries for 1 hidden layer"),
    row("activation-list-length", train("--hidden", "8", "--activation", "relu,tanh"),
        ConfigError, "activation has 2 entries"),
    row("activation-typo", train("--activation", "rleu"), ConfigError,
        "unknown activation 'rleu'", "did you mean 'relu'"),
    row("init-typo", train("--init", "he_normall"), ConfigError, "unknown init",
        "did you mean 'he_normal'"),
    row("init-list-length", train("--hidden", "8", "--init", "he_normal,he_normal,zeros"),
        ConfigError, "init has 3 entries for 2 linear layers"),
    row("optimizer-typo", train("--optimizer", "adamm"), ConfigError,
        "did you mean 'adam'"),
    row("norm-typo", train("--norm", "bach"), ConfigError, "norm", "did you mean 'batch'"),
    row("schedule-typo", train("--schedule", "cosin"), ConfigError, "schedule",
        "did you mean 'cosine'"),
    row("plateau-rate-2", train("--schedule", "plateau", "--decay-rate", "2"), ConfigError,
        "decay_rate", "below 1"),
    row("decay-epochs-0", train("--decay-epochs", "0"), ConfigError, "decay_epochs"),
    row("validation-split-1", train("--validation-split", "1"), ConfigError,
        "validation_split", "[0, 1)"),
    row("splits-sum", train("--validation-split", "0.5", "--test-split", "0.5"),
        ConfigError, "leaves no training data"),
    row("seed-negative", train("--seed", "-1"), ConfigError,
        "seed must be an integer >= 0, got -1"),
    row("hidden-0", train("--hidden", "0"), ConfigError, "hidden[0]", ">= 1"),
    row("hidden-negative", train("--hidden", "8,-5"), ConfigError, "hidden[1]", "got -5"),
    row("hidden-words", train("--hidden", "big"), ConfigError, "hidden", "'big'"),
    row("hidden-huge", train("--data", "synthetic:moons", "--hidden", "1000000000"),
        TooLargeError, "2-1000000000-2 network", "GiB", "narrower hidden layers"),
    row("augment-on-table", train("--data", "csv:{d}/good.csv", "--augment"), ConfigError,
        "augment=true needs images"),
    row("augment-standardized", train("--augment", "--standardize"), ConfigError,
        "set standardize=false"),
    row("loss-for-task", train("--loss", "mse"), ConfigError,
        "loss='mse' does not fit the classify task"),
    row("loss-typo", train("--loss", "crossentropy"), ConfigError, "loss",
        "did you mean 'cross_entropy'"),
    row("name-with-slash", train("--name", "a/b"), ConfigError, "plain folder name"),
    row("name-empty", train("--name", " "), ConfigError, "plain folder name"),
    row("label-smoothing-1", train("--label-smoothing", "1"), ConfigError,
        "label_smoothing"),
    row("weight-decay-negative", train("--weight-decay", "-1"), ConfigError,
        "weight_decay", ">= 0"),
    row("l1-negative", train("--l1", "-0.1"), ConfigError, "l1"),
    row("max-norm-0", train("--max-norm", "0"), ConfigError, "max_norm", "> 0"),
    row("clip-negative", train("--clip-grad-norm", "-1"), ConfigError, "clip_grad_norm"),
    row("noise-negative", train("--gaussian-noise", "-0.1"), ConfigError,
        "gaussian_noise"),
    row("patience-negative", train("--patience", "-1"), ConfigError, "patience"),
    row("maxout-pieces-1", train("--maxout-pieces", "1"), ConfigError, "maxout_pieces"),
    row("rotate-negative", train("--augment-rotate", "-1"), ConfigError,
        "augment_rotate"),
    row("task-typo", train("--task", "regresion"), ConfigError,
        "did you mean 'regression'"),
]

CONFIG_ROWS = [
    row("config-missing", train("--config", "{d}/none.toml"), FileNotFoundError,
        "config: file not found", "none.toml"),
    row("config-folder", train("--config", "{d}"), IsADirectoryError, "is a folder"),
    row("config-not-toml", train("--config", "{d}/bad.toml"), ConfigError,
        "not valid TOML"),
    row("config-alias", train("--config", "{d}/alias.toml"), ConfigError,
        "unknown setting 'learning_rate'", "did you mean 'lr'"),
    row("config-wrong-type", train("--config", "{d}/typed.toml"), ConfigError,
        "batch_size must be an integer", "'ten'"),
    row("config-list-lr", train("--config", "{d}/list_lr.toml"), ConfigError, "lr"),
    row("config-options-classify", train("--config", "{d}/options.toml"), ConfigError,
        "takes no options"),
    row("config-escaping-name", train("--config", "{d}/escape.toml"), ConfigError,
        "plain folder name"),
    row("config-section", train("--config", "{d}/section.toml"), ConfigError,
        "unknown setting 'network'"),
    row("config-latin1", train("--config", "{d}/latin1.toml"), ConfigError,
        "not a UTF-8 text file"),
    row("config-is-a-model", train("--config", "{m}"), ConfigError,
        "not a UTF-8 text file"),
    row("config-unreadable", train("--config", "{locked}"), PermissionError,
        "permission denied"),
]

OUTPUT_ROWS = [
    row("output-is-a-file", train("--data", "synthetic:moons", "-o", "{d}/good.csv"),
        NotADirectoryError, "good.csv"),
    row("output-unwritable", train("--data", "synthetic:moons", "-o", "{nowrite}/runs"),
        OSError, "runs"),
    row("diverging-run", train("--data", "synthetic:moons", "--optimizer", "sgd", "--lr",
                               "100"), ArithmeticError, "diverged", "nothing was kept"),
    row("resume-missing", ["train", "--resume", "{o}/nowhere"], FileNotFoundError,
        "run folder not found"),
    row("resume-finished", ["train", "--resume", "{run}"], FileNotFoundError,
        "nothing to resume"),
    row("resume-a-file", ["train", "--resume", "{d}/good.csv"], FileNotFoundError,
        "run folder not found"),
    row("resume-with-settings", ["train", "--resume", "{run}", "--lr", "0.1"], ValueError,
        "--lr cannot be given"),
]

ROWS = DATA_ROWS + TEXT_ROWS + SETTING_ROWS + CONFIG_ROWS + OUTPUT_ROWS


@pytest.mark.parametrize("case", ROWS)
def test_train_refuses_in_one_line_and_leaves_nothing(case, bad, models, cli, tmp_path):
    out = tmp_path / "out"
    values = substitutions(bad, models, out)
    args = [fill(a, values, tmp_path) for a in case.call]
    before = snapshot(bad, models["run"].parent)
    result, err = cli(args)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1 and "Traceback" not in result.output, result.output
    assert isinstance(err, case.error), f"{type(err).__name__}: {err}"
    check_message(errors[0], case)
    assert not out.exists(), sorted(snapshot(out))
    assert snapshot(bad, models["run"].parent) == before  # no temporary left beside data
    assert list(tmp_path.iterdir()) in ([], [tmp_path / "locked.csv"],
                                        [tmp_path / "locked_dir"])
