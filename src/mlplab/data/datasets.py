"""Real datasets: scikit-learn's digits, MNIST, Fashion-MNIST and UCI Adult.

Where the files are looked for, in order:

1. the ``path`` argument: the folder holding the files (or a folder holding
   ``mnist/``, ``fashion-mnist/``, ``uci_adult/``);
2. the ``MLPLAB_DATA`` environment variable, with the same meaning;
3. the cache folder ``$XDG_CACHE_HOME/mlplab`` (default ``~/.cache/mlplab``),
   where ``download=True`` puts downloaded files.

Downloads are checked against published SHA-256 digests before they are
kept, and written atomically (temporary file, then rename), so an interrupted
or tampered download never leaves a file that looks valid.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from mlplab.checks import SeedLike, check_fraction
from mlplab.data.csv_files import load_csv
from mlplab.data.idx import IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, read_idx
from mlplab.data.splits import split_indices
from mlplab.data.tabular import TabularData

__all__ = [
    "load_digits",
    "load_mnist",
    "load_fashion_mnist",
    "load_adult",
    "load_csv",
    "cache_dir",
    "ADULT_COLUMNS",
    "FASHION_MNIST_CLASSES",
]

Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

IDX_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)

# SHA-256 of the published files (tensorflow/datasets url_checksums, mnist.txt and
# fashion_mnist.txt). Mirrors are tried in order.
_IDX_SOURCES: dict[str, dict[str, Any]] = {
    "mnist": {
        "title": "MNIST",
        "folders": ("mnist", "MNIST"),
        "mirrors": (
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
        ),
        "sha256": {
            IDX_FILES[0]: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            IDX_FILES[1]: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            IDX_FILES[2]: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            IDX_FILES[3]: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        },
    },
    "fashion-mnist": {
        "title": "Fashion-MNIST",
        "folders": ("fashion-mnist", "fashion_mnist", "FashionMNIST"),
        "mirrors": (
            "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        ),
        "sha256": {
            IDX_FILES[0]: "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            IDX_FILES[1]: "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            IDX_FILES[2]: "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            IDX_FILES[3]: "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        },
    },
}

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip

ADULT_COLUMNS = (
    "age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
    "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss",
    "hours-per-week", "native-country", "income",
)  # fmt: skip
"""Column names of UCI Adult's ``adult.data``/``adult.test`` (from ``adult.names``)."""


# --------------------------------------------------------------------------- locating files


def cache_dir() -> Path:
    """Folder for downloaded datasets: ``$XDG_CACHE_HOME/mlplab`` or ``~/.cache/mlplab``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mlplab"


def _has_files(folder: Path, files: Sequence[str]) -> bool:
    # A decompressed copy (name without .gz) is accepted too.
    return all((folder / f).is_file() or (folder / f.removesuffix(".gz")).is_file() for f in files)


def _file(folder: Path, name: str) -> Path:
    gz = folder / name
    return gz if gz.is_file() else folder / name.removesuffix(".gz")


def _locate(
    path: str | os.PathLike | None, folders: Sequence[str], files: Sequence[str]
) -> tuple[Path | None, list[Path]]:
    """Find the folder holding ``files``; also return the places searched."""
    bases: list[Path] = []
    if path is not None:
        bases.append(Path(path).expanduser())
    else:
        env = os.environ.get("MLPLAB_DATA")
        if env:
            bases.append(Path(env).expanduser())
        bases.append(cache_dir())
    searched = []
    for base in bases:
        for folder in (base, *(base / sub for sub in folders)):
            searched.append(folder)
            if _has_files(folder, files):
                return folder, searched
    return None, searched


def _not_found(
    title: str, files: Sequence[str], searched: list[Path], can_download: bool
) -> FileNotFoundError:
    for folder in searched:  # a half-filled folder deserves a precise message
        present = [f for f in files if _has_files(folder, [f])]
        if present:
            missing = [f for f in files if f not in present]
            return FileNotFoundError(
                f"{title}: {folder} is missing {', '.join(missing)}; add the missing files"
                + (" or pass download=True" if can_download else "")
            )
    places = ", ".join(str(p) for p in searched)
    fix = ", or use download=True" if can_download else ""
    return FileNotFoundError(
        f"{title} files ({', '.join(files)}) not found in: {places}; pass path= to the folder "
        f"that holds them or set MLPLAB_DATA{fix}"
    )


# --------------------------------------------------------------------------- downloading


def _fetch(url: str, out: BinaryIO) -> None:
    """Stream ``url`` into ``out`` (the one place that touches the network)."""
    import urllib.request  # imported here: it is slow to import and rarely needed

    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - fixed https URLs
        while chunk := response.read(1 << 20):
            out.write(chunk)


def sha256_file(path: str | os.PathLike) -> str:
    """Hex SHA-256 digest of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def download_file(urls: Sequence[str], dest: str | os.PathLike, sha256: str) -> Path:
    """Download the first working URL to ``dest``, keeping it only if its SHA-256 matches.

    The bytes go to a temporary file in the destination folder, which is
    renamed onto ``dest`` only after the digest is verified; on any failure
    nothing is left behind. Raises OSError when every mirror fails or the
    digest differs.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    errors = []
    for url in urls:
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                _fetch(url, out)
            got = sha256_file(tmp)
            if got != sha256:
                errors.append(f"{url}: SHA-256 mismatch (expected {sha256}, got {got})")
                continue
            os.replace(tmp, dest)
            return dest
        except OSError as err:
            errors.append(f"{url}: {err}")
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    raise OSError(f"could not download {dest.name}: " + "; ".join(errors))


# --------------------------------------------------------------------------- IDX datasets


def _load_idx_dataset(
    key: str, path: str | os.PathLike | None, flatten: bool, download: bool
) -> Split:
    source = _IDX_SOURCES[key]
    title = source["title"]
    folder, searched = _locate(path, source["folders"], IDX_FILES)
    if folder is None:
        if not download:
            raise _not_found(title, IDX_FILES, searched, can_download=True)
        base = Path(path).expanduser() if path is not None else cache_dir() / source["folders"][0]
        folder = base
        for name in IDX_FILES:
            if not _file(folder, name).is_file():
                download_file(
                    [m + name for m in source["mirrors"]], folder / name, source["sha256"][name]
                )
    out = []
    for images_name, labels_name in (IDX_FILES[:2], IDX_FILES[2:]):
        images = read_idx(_file(folder, images_name), IDX_IMAGES_MAGIC)
        labels = read_idx(_file(folder, labels_name), IDX_LABELS_MAGIC)
        if len(images) != len(labels):
            raise ValueError(
                f"{folder}: {images_name} has {len(images)} images but {labels_name} has "
                f"{len(labels)} labels; one of the files is wrong or corrupted"
            )
        if labels.size and labels.max() > 9:
            raise ValueError(
                f"{_file(folder, labels_name)}: label {int(labels.max())} is outside 0..9; "
                "the file is corrupted"
            )
        X = np.divide(images, np.float32(255.0), dtype=np.float32)  # pixels 0..255 -> [0, 1]
        if flatten:
            X = X.reshape(len(X), -1)
        out.append((X, labels.astype(np.int64)))
    return out[0], out[1]


def load_mnist(
    path: str | os.PathLike | None = None, flatten: bool = True, download: bool = False
) -> Split:
    """MNIST handwritten digits (LeCun et al. 1998): 60,000 train and 10,000 test images.

    Args:
        path: folder holding the four IDX gzip files (``train-images-idx3-ubyte.gz``,
            ``train-labels-idx1-ubyte.gz``, ``t10k-images-idx3-ubyte.gz``,
            ``t10k-labels-idx1-ubyte.gz``), or a folder with an ``mnist/``
            subfolder. Default: ``MLPLAB_DATA``, then the cache folder.
        flatten: X of shape (n, 784) if True, else (n, 28, 28).
        download: fetch missing files (SHA-256 verified) into ``path`` or the cache.

    Returns:
        ``((X_train, y_train), (X_test, y_test))``; X float32 pixels in [0, 1]
        (x/255), y int64 digits 0–9.

    Raises:
        FileNotFoundError: files not found (the message lists where it looked).
        ValueError: a corrupted or truncated file (the message names it).
    """
    return _load_idx_dataset("mnist", path, flatten, download)


def load_fashion_mnist(
    path: str | os.PathLike | None = None, flatten: bool = True, download: bool = False
) -> Split:
    """Fashion-MNIST (Xiao et al. 2017): 28 × 28 clothing images in MNIST's format.

    Same files, arguments and return value as :func:`load_mnist`; subfolder
    ``fashion-mnist/``. ``FASHION_MNIST_CLASSES[k]`` names class k.
    """
    return _load_idx_dataset("fashion-mnist", path, flatten, download)


# --------------------------------------------------------------------------- bundled digits


def load_digits(test_size: float | None = 0.2, seed: SeedLike = 0, flatten: bool = True) -> Any:
    """scikit-learn's bundled 8 × 8 digits (1,797 images, 10 classes); no download needed.

    Args:
        test_size: fraction held out as a stratified test set (⌈test_size·n⌉
            samples); None returns the full set instead.
        seed: seed of the split (default 0, so the split is the same every run).
        flatten: X of shape (n, 64) if True, else (n, 8, 8).

    Returns:
        ``((X_train, y_train), (X_test, y_test))``, or ``(X, y)`` when
        ``test_size`` is None; X float32 in [0, 1] (pixel counts 0–16 divided
        by 16), y int64 digits 0–9.
    """
    from sklearn.datasets import load_digits as _sk_load_digits  # optional dependency

    bunch = _sk_load_digits()
    X = (bunch.data / 16.0).astype(np.float32)
    y = bunch.target.astype(np.int64)
    if not flatten:
        X = X.reshape(-1, 8, 8)
    if test_size is None:
        return X, y
    test_size = check_fraction(test_size, "test_size", "load_digits")
    n_test = int(np.ceil(test_size * len(y)))
    test_idx, train_idx = split_indices(len(y), [n_test], y=y, stratify=True, seed=seed)
    return (X[train_idx], y[train_idx]), (X[test_idx], y[test_idx])


# --------------------------------------------------------------------------- UCI Adult


def load_adult(
    path: str | os.PathLike | None = None, **csv_options: Any
) -> tuple[TabularData, TabularData]:
    """UCI Adult ("Census Income"): predict income > 50K from 14 census attributes.

    Reads ``adult.data`` (32,561 rows) and ``adult.test`` (16,281 rows) from
    ``path`` (or ``MLPLAB_DATA``, ``MLPLAB_DATA/uci_adult``, the cache). The
    encoder is fitted on ``adult.data`` and reused for ``adult.test``; extra
    keyword arguments (e.g. ``drop=["fnlwgt"]``) go to :func:`load_csv`.

    Returns:
        ``(train, test)`` :class:`TabularData`; classes ``['<=50K', '>50K']``.
    """
    files = ("adult.data", "adult.test")
    folder, searched = _locate(path, ("uci_adult", "adult"), files)
    if folder is None:
        raise _not_found("UCI Adult", files, searched, can_download=False)
    train = load_csv(folder / "adult.data", "income", names=ADULT_COLUMNS, **csv_options)
    test = load_csv(folder / "adult.test", names=ADULT_COLUMNS, encoder=train.encoder)
    return train, test
