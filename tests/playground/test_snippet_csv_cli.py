""""Copy as Python" reproduces the weights bit for bit; CSV parsing; the CLI's one-line errors."""

from __future__ import annotations

import numpy as np
import pytest

from mlplab.checks import ParameterError
from mlplab.cli import main
from mlplab.playground.config import make_config, tf_compat
from mlplab.playground.csv_upload import parse_csv
from mlplab.playground.python_snippet import python_snippet
from mlplab.playground.session import Session, parse_and_submit


@pytest.mark.parametrize("config", [
    tf_compat(num_samples=80, regularization="l1", regularization_rate=0.01),
    make_config({"num_samples": 80, "optimizer": "adam", "dropout": 0.2, "batch_size": 7,
                 "schedule": "cosine", "x_squared": True, "standardize": True,
                 "clip": 0.5, "network_shape": [5, 3], "activation": "relu"}),
    make_config({"dataset": "spirals", "classes": 3, "num_samples": 90, "batch_norm": True,
                 "optimizer": "momentum", "init": "he", "seed": 4, "init_seed": 9}),
    make_config({"num_samples": 80, "network_shape": [6, 4, 3], "dropout": [0.5, 0.0, 0.2],
                 "batch_norm": [False, True, False], "layer_norm": [True, False, False],
                 "gaussian_noise": [0.0, 0.0, 0.3], "batch_size": 8}),
])
def test_snippet_reproduces_the_session_bit_for_bit(config):
    session = Session(config)
    parse_and_submit(session, {"op": "step", "epochs": 4})
    namespace: dict = {"__name__": "snippet"}
    exec(compile(python_snippet(config, session.run.epoch), "snippet.py", "exec"), namespace)
    ours = [p.data for p in session.run.model.parameters()]
    theirs = [p.data for p in namespace["model"].parameters()]
    assert len(ours) == len(theirs)
    assert all(np.array_equal(a, b) for a, b in zip(ours, theirs, strict=True))


def test_csv_good_rows_header_and_tf_labels():
    config = make_config({"perc_train_data": 50})
    data, classes = parse_csv(b"1,2,-1\n3,4,1\n-1,0.5,1\n2,2,-1\n", config)
    assert classes == 2 and len(data.train_x) == 2 and len(data.test_x) == 2
    assert set(np.concatenate([data.train_y, data.test_y])) == {0, 1}
    data, _ = parse_csv(b"\xef\xbb\xbfx1,x2,target\n1,2,0.5\n3,4,-0.25\n",
                        make_config({"problem": "regression"}))
    assert sorted(np.concatenate([data.train_y, data.test_y])) == [-0.25, 0.5]


@pytest.mark.parametrize("body, words", [
    (b"", "empty"), (b"x1,x2,label\n", "no rows"), (b"1,2,1\n1,2\n", "row 2 has 2 columns"),
    (b"1,2,1\n1,nan,0\n", "NaN"), (b"1,2,1.5\n", "class index"), (b"\xff\xfe1", "UTF-8"),
    (b"1,2,7\n", "class index"),
])
def test_csv_bad_input_one_line(body, words):
    with pytest.raises(ParameterError) as info:
        parse_csv(body, make_config({}))
    assert words in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(ParameterError, match="in \\[-1, 1\\]"):
        parse_csv(b"1,2,3\n", make_config({"problem": "regression"}))


@pytest.mark.parametrize("args, words", [
    (["--datset", "xor"], "did you mean '--dataset'"),
    (["--learning-rate", "fast"], "learning_rate must be a number"),
    (["--network-shape", "4,0"], "1 to 64"),
    (["--config", "no-such-file.json"], "no file"),
    (["--data", "no-such-file.csv"], "no file"),
])
def test_cli_bad_input_is_one_red_line(args, words, capsys):
    assert main(["playground", "--no-browser", *args]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and words in err and "\n" not in err


def test_cli_bad_csv_is_reported_before_the_server_starts(tmp_path, capsys):
    bad = tmp_path / "points.csv"
    bad.write_text("x1,x2,label\n1,2,0\n1,2\n")
    assert main(["playground", "--no-browser", "--data", str(bad)]) == 1
    assert "row 2 has 2 columns" in capsys.readouterr().err


def test_cli_lists_settings(capsys):
    assert main(["playground", "--list-settings"]) == 0
    out = capsys.readouterr().out
    assert "--network-shape" in out and "--learning-rate" in out
