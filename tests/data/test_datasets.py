"""Real datasets (MNIST, UCI Adult, digits), IDX validation, file lookup and verified download."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import struct

import numpy as np
import pytest

from mlplab.data import (
    ADULT_COLUMNS,
    TabularEncoder,
    load_adult,
    load_csv,
    load_digits,
    load_fashion_mnist,
    load_mnist,
    read_idx,
    write_idx,
)
from mlplab.data import datasets as ds
from mlplab.data.datasets import IDX_FILES

# Label counts 0..9 from mnist/PROVENANCE.md
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(scope="module")
def mnist(datasets_dir):
    return load_mnist(datasets_dir / "mnist")


# --------------------------------------------------------------------------- MNIST


def test_mnist_shapes_dtypes_range(mnist):
    (Xtr, ytr), (Xte, yte) = mnist
    assert Xtr.shape == (60000, 784) and Xte.shape == (10000, 784)
    assert Xtr.dtype == Xte.dtype == np.float32
    assert ytr.dtype == yte.dtype == np.int64
    assert Xtr.min() == 0.0 and Xtr.max() == 1.0
    assert 0.10 < Xtr.mean() < 0.15  # mostly background: mean ink ≈ 0.13


def test_mnist_label_histograms_match_provenance(mnist):
    (_, ytr), (_, yte) = mnist
    assert np.bincount(ytr).tolist() == MNIST_TRAIN_COUNTS
    assert np.bincount(yte).tolist() == MNIST_TEST_COUNTS


def test_mnist_pixels_match_an_independent_parse(mnist, datasets_dir):
    # oracle: the bytes after the 16-byte header, read with gzip + struct only
    raw = gzip.decompress((datasets_dir / "mnist" / "t10k-images-idx3-ubyte.gz").read_bytes())
    assert struct.unpack(">IIII", raw[:16]) == (2051, 10000, 28, 28)
    first, last = raw[16 : 16 + 784], raw[-784:]
    (_, _), (Xte, yte) = mnist
    np.testing.assert_array_equal(Xte[0], np.frombuffer(first, np.uint8) / np.float32(255))
    np.testing.assert_array_equal(Xte[-1], np.frombuffer(last, np.uint8) / np.float32(255))
    labels = gzip.decompress((datasets_dir / "mnist" / "t10k-labels-idx1-ubyte.gz").read_bytes())
    assert yte[:20].tolist() == list(labels[8:28])


def test_mnist_unflattened(datasets_dir, mnist, tmp_path):
    # copy only the small test files plus a tiny train set, to keep this fast
    (Xtr, ytr), (Xte, _) = mnist
    folder = _tiny_mnist(tmp_path, n_train=5)
    shutil.copy(datasets_dir / "mnist" / IDX_FILES[2], folder / IDX_FILES[2])
    shutil.copy(datasets_dir / "mnist" / IDX_FILES[3], folder / IDX_FILES[3])
    (_, _), (Xte3, _) = load_mnist(folder, flatten=False)
    assert Xte3.shape == (10000, 28, 28)
    np.testing.assert_array_equal(Xte3.reshape(10000, -1), Xte)


# --------------------------------------------------------------------------- IDX errors


def _tiny_mnist(folder, n_train=6, n_test=4, seed=0):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    write_idx(folder / IDX_FILES[0], rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8))
    write_idx(folder / IDX_FILES[1], rng.integers(0, 10, n_train, dtype=np.uint8))
    write_idx(folder / IDX_FILES[2], rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8))
    write_idx(folder / IDX_FILES[3], rng.integers(0, 10, n_test, dtype=np.uint8))
    return folder


def test_idx_round_trip_and_header_bytes(tmp_path):
    arr = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / "a.idx3.gz", arr)
    raw = gzip.decompress((tmp_path / "a.idx3.gz").read_bytes())
    assert raw[:16] == struct.pack(">IIII", 0x0803, 2, 3, 4)
    np.testing.assert_array_equal(read_idx(tmp_path / "a.idx3.gz", 2051), arr)
    f = np.linspace(0, 1, 6, dtype=np.float32).reshape(2, 3)
    write_idx(tmp_path / "f.idx", f)
    np.testing.assert_array_equal(read_idx(tmp_path / "f.idx"), f)


def test_tiny_mnist_values(tmp_path):
    folder = _tiny_mnist(tmp_path / "m")
    raw = read_idx(folder / IDX_FILES[0])
    (Xtr, ytr), (Xte, yte) = load_mnist(folder)
    assert Xtr.shape == (6, 784) and Xte.shape == (4, 784)
    np.testing.assert_allclose(Xtr, raw.reshape(6, -1) / 255.0, rtol=1e-7)


def test_bad_magic_names_the_file(tmp_path):
    folder = _tiny_mnist(tmp_path / "m")
    # swap the label file in place of the image file: magic 2049 instead of 2051
    shutil.copy(folder / IDX_FILES[1], folder / IDX_FILES[0])
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte\.gz: bad magic number 2049"):
        load_mnist(folder)


def test_truncated_data_names_the_file(tmp_path):
    folder = _tiny_mnist(tmp_path / "m")
    raw = gzip.decompress((folder / IDX_FILES[2]).read_bytes())
    (folder / IDX_FILES[2]).write_bytes(gzip.compress(raw[:-100]))
    with pytest.raises(ValueError, match=r"t10k-images-idx3-ubyte\.gz: file truncated"):
        load_mnist(folder)


def test_truncated_gzip_stream_names_the_file(tmp_path):
    folder = _tiny_mnist(tmp_path / "m")
    data = (folder / IDX_FILES[0]).read_bytes()
    (folder / IDX_FILES[0]).write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte\.gz: the gzip stream"):
        load_mnist(folder)


def test_image_label_count_mismatch(tmp_path):
    folder = _tiny_mnist(tmp_path / "m")
    write_idx(folder / IDX_FILES[1], np.zeros(5, dtype=np.uint8))
    with pytest.raises(ValueError, match="6 images but .* 5 labels"):
        load_mnist(folder)


def test_label_out_of_range(tmp_path):
    folder = _tiny_mnist(tmp_path / "m")
    write_idx(folder / IDX_FILES[3], np.array([0, 1, 2, 12], dtype=np.uint8))
    with pytest.raises(ValueError, match="label 12 is outside 0..9"):
        load_mnist(folder)


def test_missing_files(tmp_path, monkeypatch):
    monkeypatch.delenv("MLPLAB_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(FileNotFoundError, match="MNIST files .* not found in: .*download=True"):
        load_mnist(tmp_path / "nowhere")
    folder = _tiny_mnist(tmp_path / "m")
    (folder / IDX_FILES[3]).unlink()
    with pytest.raises(FileNotFoundError, match="is missing t10k-labels-idx1-ubyte.gz"):
        load_mnist(folder)


# --------------------------------------------------------------------------- path lookup


def test_env_var_with_subfolder(tmp_path, monkeypatch):
    _tiny_mnist(tmp_path / "data" / "mnist")
    _tiny_mnist(tmp_path / "data" / "fashion-mnist", n_train=3)
    monkeypatch.setenv("MLPLAB_DATA", str(tmp_path / "data"))
    assert load_mnist()[0][0].shape == (6, 784)
    assert load_fashion_mnist()[0][0].shape == (3, 784)


def test_env_var_pointing_at_the_files(tmp_path, monkeypatch):
    _tiny_mnist(tmp_path / "files")
    monkeypatch.setenv("MLPLAB_DATA", str(tmp_path / "files"))
    assert load_mnist()[1][0].shape == (4, 784)


def test_cache_folder_is_last(tmp_path, monkeypatch):
    monkeypatch.delenv("MLPLAB_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    _tiny_mnist(tmp_path / "mlplab" / "mnist", n_train=2)
    assert load_mnist()[0][0].shape == (2, 784)


def test_uncompressed_files_are_accepted(tmp_path):
    folder = _tiny_mnist(tmp_path / "m")
    for name in IDX_FILES:
        (folder / name.removesuffix(".gz")).write_bytes(
            gzip.decompress((folder / name).read_bytes())
        )
        (folder / name).unlink()
    assert load_mnist(folder)[0][0].shape == (6, 784)


# --------------------------------------------------------------------------- download


def _serve(monkeypatch, files, failing=()):
    """Replace the network fetch with local files: url basename -> bytes."""
    calls = []

    def fake_fetch(url, out):
        calls.append(url)
        if any(url.startswith(f) for f in failing):
            raise OSError("connection refused")
        out.write(files[url.rsplit("/", 1)[-1]])

    monkeypatch.setattr(ds, "_fetch", fake_fetch)
    return calls


def test_download_verifies_sha256(tmp_path, monkeypatch):
    payload = b"some bytes"
    digest = hashlib.sha256(payload).hexdigest()
    calls = _serve(monkeypatch, {"f.gz": payload}, failing=("https://down/",))
    out = ds.download_file(["https://down/f.gz", "https://up/f.gz"], tmp_path / "f.gz", digest)
    assert out.read_bytes() == payload
    assert calls == ["https://down/f.gz", "https://up/f.gz"]  # first mirror failed, second used


def test_download_rejects_a_wrong_digest_and_leaves_nothing(tmp_path, monkeypatch):
    _serve(monkeypatch, {"f.gz": b"tampered"})
    with pytest.raises(OSError, match="SHA-256 mismatch"):
        ds.download_file(["https://x/f.gz"], tmp_path / "f.gz", "0" * 64)
    assert list(tmp_path.iterdir()) == []  # no file, no temporary left behind


def test_published_digests_match_the_real_mnist_files(datasets_dir, tmp_path, monkeypatch):
    # the SHA-256 constants used for downloads must accept the genuine files
    files = {name: (datasets_dir / "mnist" / name).read_bytes() for name in IDX_FILES}
    _serve(monkeypatch, files)
    for name in IDX_FILES:
        digest = ds._IDX_SOURCES["mnist"]["sha256"][name]
        ds.download_file([f"https://mirror/{name}"], tmp_path / name, digest)
        assert (tmp_path / name).read_bytes() == files[name]


def test_load_with_download_fetches_missing_files(tmp_path, monkeypatch):
    src = _tiny_mnist(tmp_path / "src")
    files = {name: (src / name).read_bytes() for name in IDX_FILES}
    digests = {name: hashlib.sha256(b).hexdigest() for name, b in files.items()}
    monkeypatch.setitem(ds._IDX_SOURCES["mnist"], "sha256", digests)
    _serve(monkeypatch, files)
    monkeypatch.delenv("MLPLAB_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (Xtr, _), _ = load_mnist(download=True)
    assert Xtr.shape == (6, 784)
    assert sorted(p.name for p in (tmp_path / "cache" / "mlplab" / "mnist").iterdir()) == sorted(
        IDX_FILES
    )


# --------------------------------------------------------------------------- digits


def test_digits_split_and_full_set():
    from sklearn.datasets import load_digits as sk_digits

    ref = sk_digits()
    X, y = load_digits(test_size=None)
    np.testing.assert_allclose(X, ref.data / 16.0, rtol=1e-7)
    np.testing.assert_array_equal(y, ref.target)
    assert X.dtype == np.float32 and y.dtype == np.int64 and X.max() == 1.0
    (Xtr, ytr), (Xte, yte) = load_digits(test_size=0.2, seed=0)
    assert len(Xte) == 360 and len(Xtr) == 1437
    expected = np.bincount(y) * 0.2
    assert np.abs(np.bincount(yte) - expected).max() < 1  # stratified
    (Xtr2, _), _ = load_digits(test_size=0.2, seed=0)
    np.testing.assert_array_equal(Xtr, Xtr2)
    assert load_digits(flatten=False)[0][0].shape[1:] == (8, 8)


# --------------------------------------------------------------------------- UCI Adult


def _count_question_marks(path):
    """Independent oracle: '?' per column with plain string splitting."""
    counts = dict.fromkeys(ADULT_COLUMNS, 0)
    rows = 0
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("|"):
            continue
        rows += 1
        for name, value in zip(ADULT_COLUMNS, line.split(","), strict=True):
            counts[name] += value.strip() == "?"
    return rows, {k: v for k, v in counts.items() if v}


@pytest.fixture(scope="module")
def adult(datasets_dir):
    return load_adult(datasets_dir / "uci_adult")


def test_adult_rows_classes_and_width(adult):
    train, test = adult
    # row counts and class balance from uci_adult/PROVENANCE.md
    assert train.X.shape[0] == 32561 and test.X.shape[0] == 16281
    assert train.class_names == ["<=50K", ">50K"]
    assert np.bincount(train.y).tolist() == [24720, 7841]
    assert np.bincount(test.y).tolist() == [12435, 3846]  # '>50K.' read as '>50K'
    assert train.X.shape[1] == test.X.shape[1] == len(train.feature_names)
    assert train.X.dtype == np.float32 and train.y.dtype == np.int64


def test_adult_missing_report_matches_raw_counts(adult, datasets_dir):
    train, test = adult
    rows, counts = _count_question_marks(datasets_dir / "uci_adult" / "adult.data")
    assert rows == 32561 and train.missing == counts
    assert set(counts) == {"workclass", "occupation", "native-country"}
    rows, counts = _count_question_marks(datasets_dir / "uci_adult" / "adult.test")
    assert rows == 16281 and test.missing == counts


def test_adult_encoding(adult, datasets_dir):
    train, _ = adult
    names = train.feature_names
    ages = [
        int(line.split(",")[0])
        for line in (datasets_dir / "uci_adult" / "adult.data").read_text().splitlines()
        if line
    ]
    np.testing.assert_array_equal(train.X[:, names.index("age")], ages)
    # every categorical block is one-hot: exactly one 1 per row (missing has its own column)
    block = [i for i, n in enumerate(names) if n.startswith("workclass=")]
    assert "workclass=<missing>" in names and "workclass=Private" in names
    np.testing.assert_array_equal(train.X[:, block].sum(1), 1.0)
    assert train.X[:, names.index("workclass=<missing>")].sum() == train.missing["workclass"]


def test_adult_encoder_round_trip_reencodes_test_identically(adult, datasets_dir):
    train, test = adult
    state = json.loads(json.dumps(train.encoder.to_dict()))
    encoder = TabularEncoder.from_dict(state)
    again = load_csv(
        datasets_dir / "uci_adult" / "adult.test", names=ADULT_COLUMNS, encoder=encoder
    )
    np.testing.assert_array_equal(again.X, test.X)
    np.testing.assert_array_equal(again.y, test.y)


def test_adult_without_names_hints_at_columns(datasets_dir):
    with pytest.raises(ValueError, match=r"'income' not found; available columns.*pass names="):
        load_csv(datasets_dir / "uci_adult" / "adult.data", "income")
