"""Small CSV files read by ``load_csv``: hand-worked encodings, imputation and errors."""

from __future__ import annotations

import numpy as np
import pytest

from mlplab.data import TabularEncoder, load_csv


def _write(path, text):
    path.write_text(text)
    return path


def test_csv_hand_worked_example(tmp_path):
    train = _write(tmp_path / "train.csv", (
        "size,color,price,label\n"
        "1.0, red, 10, yes\n"
        "3.0, blue, ?, no\n"
        "?, red, 30, yes\n"
        "5.0, ?, 40, no\n"
    ))  # fmt: skip
    data = load_csv(train, "label")
    # numeric 'size' median of [1, 3, 5] = 3; 'price' median of [10, 30, 40] = 30
    assert data.feature_names == ["size", "color=blue", "color=red", "color=<missing>", "price"]
    expected = [
        [1, 0, 1, 0, 10],
        [3, 1, 0, 0, 30],
        [3, 0, 1, 0, 30],
        [5, 0, 0, 1, 40],
    ]
    np.testing.assert_array_equal(data.X, expected)
    assert data.class_names == ["no", "yes"] and data.y.tolist() == [1, 0, 1, 0]
    assert data.missing == {"size": 1, "color": 1, "price": 1}

    test = _write(tmp_path / "test.csv", (
        "label,price,color,size,extra\n"
        "no., ?, green, 2, x\n"
        "yes., 20, blue, ?, y\n"
    ))  # fmt: skip
    out = load_csv(test, encoder=data.encoder)  # columns by name, order may differ
    np.testing.assert_array_equal(out.X, [[2, 0, 0, 0, 30], [3, 1, 0, 0, 20]])
    assert out.y.tolist() == [0, 1]
    assert out.unknown == {"color": 1}  # 'green' was never seen: all zeros


def test_csv_mode_imputation_and_forced_categorical(tmp_path):
    path = _write(tmp_path / "t.csv", "zip,c,y\n100,a,0\n200,a,1\n100,?,0\n300,b,1\n")
    data = load_csv(path, "y", categorical=["zip"], categorical_missing="mode")
    assert data.feature_names == ["zip=100", "zip=200", "zip=300", "c=a", "c=b"]
    np.testing.assert_array_equal(data.X[2], [1, 0, 0, 1, 0])  # '?' -> mode 'a'


def test_csv_errors(tmp_path):
    path = _write(tmp_path / "t.csv", "a,b,label\n1,2,x\n3,4,y\n")
    with pytest.raises(
        ValueError,
        match=r"'lable' not found; available columns: \['a', 'b', "
        r"'label'\]; did you mean 'label'\?",
    ):
        load_csv(path, "lable")
    ragged = _write(tmp_path / "r.csv", "a,b\n1,2\n3\n")
    with pytest.raises(ValueError, match="data row 2 has 1 fields, expected 2"):
        load_csv(ragged)
    enc = load_csv(path, "label").encoder
    bad_label = _write(tmp_path / "u.csv", "a,b,label\n1,2,z\n")
    with pytest.raises(ValueError, match="label 'z'.*known classes"):
        load_csv(bad_label, encoder=enc)
    bad_number = _write(tmp_path / "n.csv", "a,b,label\n1,oops,x\n")
    with pytest.raises(ValueError, match="n.csv: column 'b': value 'oops' is not a number"):
        load_csv(bad_number, encoder=enc)
    missing_col = _write(tmp_path / "m.csv", "a,label\n1,x\n")
    with pytest.raises(ValueError, match="feature column 'b' not found"):
        load_csv(missing_col, encoder=enc)
    with pytest.raises(FileNotFoundError, match="not found"):
        load_csv(tmp_path / "nope.csv", "label")
    with pytest.raises(ValueError, match="TabularEncoder"):
        TabularEncoder.from_dict({"type": "Standardizer"})
