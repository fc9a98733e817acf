"""The bad files of the bad-input suite, written once per session into one folder.

Each file is one mistake a careless user makes: an empty CSV, a ragged one, a
tab-separated file read as CSV, Latin-1 bytes, a target with one class, an
identifier column, a model file where data is expected, a damaged IDX download…
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import struct
from pathlib import Path

import numpy as np
import pytest

ROWS = 60


def _table(path: Path, header: str, rows: list[str]) -> None:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def _csv_files(d: Path) -> None:
    rng = np.random.default_rng(0)
    good = [f"{rng.normal():.3f},{rng.normal():.3f},{'ab'[i % 2]}" for i in range(ROWS)]
    _table(d / "good.csv", "x1,x2,label", good)
    (d / "empty.csv").write_text("", encoding="utf-8")
    (d / "header_only.csv").write_text("x1,x2,label\n", encoding="utf-8")
    _table(d / "ragged.csv", "x1,x2,label", [good[0], "1.0,2.0", *good[2:]])
    _table(d / "tabs.csv", "x1\tx2\tlabel", [r.replace(",", "\t") for r in good])
    _table(d / "semicolons.csv", "x1;x2;label", [r.replace(",", ";") for r in good])
    _table(d / "inf.csv", "x1,x2,label", [good[0], "inf,1.0,a", *good[2:]])
    (d / "latin1.csv").write_bytes("x1,x2,label\n1,2,caf\u00e9\n".encode("latin-1") * 3)
    _table(d / "one_class.csv", "x1,x2,label", [r[:-1] + "a" for r in good])
    _table(d / "tiny.csv", "x1,x2,label", good[:3])
    _table(d / "counts.csv", "x1,x2,count",
           [f"{i},{i % 7},{i * 3}" for i in range(ROWS)])  # 60 distinct integers
    _table(d / "prices.csv", "x1,x2,price",
           [f"{i},{i % 7},{i * 1.37:.2f}" for i in range(ROWS)])
    _table(d / "rare.csv", "x1,x2,label", [*good, "0.1,0.2,z"])
    _table(d / "ids.csv", "id,x,label",
           [f"id{i},{i % 5},{'ab'[i % 2]}" for i in range(1200)])
    _table(d / "no_target.csv", "x1,x2,label", [r.rsplit(",", 1)[0] + ",?" for r in good])
    _table(d / "only_target.csv", "label", ["ab"[i % 2] for i in range(ROWS)])
    _table(d / "dupes.csv", "x,x,label", good)
    _table(d / "text_target.csv", "x1,x2,y", [r for r in good])
    _table(d / "inf_target.csv", "x1,x2,y", [f"{i},{i},{'inf' if i == 5 else i}"
                                              for i in range(ROWS)])
    _table(d / "count_words.csv", "x1,x2,count", ["1,2,3", "4,5,many"])
    _table(d / "numbers.csv", "x1,x2", [f"{i},{-i}" for i in range(5)])
    _table(d / "three_numbers.csv", "x1,x2,x3", [f"{i},{-i},{i}" for i in range(5)])
    _table(d / "words.csv", "x1,x2", ["1,2", "3,abc"])
    _table(d / "new_labels.csv", "x1,x2,label", [r[:-1] + "q" for r in good])
    _table(d / "missing_column.csv", "x1,label", [r.split(",", 1)[1] for r in good])
    _table(d / "text_in_numbers.csv", "x1,x2,label", [good[0], "abc,1.0,a", *good[2:]])
    (d / "folder.csv").mkdir()


def _text_files(d: Path) -> None:
    words = ["good", "bad", "great", "awful", "fun", "dull"]
    lines = [f"{words[i % 6]} {words[(i * 5) % 6]} movie\t{'pos' if i % 2 else 'neg'}"
             for i in range(ROWS)]
    (d / "reviews.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "empty.tsv").write_text("\n\n", encoding="utf-8")
    (d / "no_label.tsv").write_text("good movie\tpos\njust a text\n", encoding="utf-8")
    (d / "one_class.tsv").write_text("".join(f"text {i}\tpos\n" for i in range(ROWS)),
                                     encoding="utf-8")
    (d / "gbk.tsv").write_bytes("好看的电影\tpos\n无聊的电影\tneg\n".encode("gb18030") * 5)
    (d / "bad.jsonl").write_text('{"text": "a", "label": "x"}\nnot json\n', encoding="utf-8")
    (d / "no_field.jsonl").write_text('{"body": "a", "label": "x"}\n', encoding="utf-8")
    (d / "array.jsonl").write_text('["a", "x"]\n', encoding="utf-8")
    (d / "empty_text.jsonl").write_text('{"text": "ok"}\n{"text": ""}\n', encoding="utf-8")
    (d / "texts.txt").write_text("good movie\nawful plot\n", encoding="utf-8")
    (d / "unseen.tsv").write_text("good movie\tmaybe\n", encoding="utf-8")
    (d / "texts").mkdir()


def _idx_files(d: Path) -> None:
    broken = d / "broken_mnist"
    broken.mkdir()
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                 "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        (broken / name).write_bytes(gzip.compress(b"not an idx file at all"))
    (d / "empty_mnist").mkdir()
    header = struct.pack(">IIII", 2051, 10, 28, 28)
    (d / "short.idx").write_bytes(header + b"\x00" * 100)  # 10 images need 7840 bytes
    (d / "bad_magic.idx").write_bytes(struct.pack(">IIII", 1234, 1, 2, 2) + b"\x00" * 4)
    (d / "stub.idx").write_bytes(b"\x00\x00")


def _config_files(d: Path) -> None:
    (d / "bad.toml").write_text("epochs = = 1\n", encoding="utf-8")
    (d / "alias.toml").write_text("learning_rate = 0.1\n", encoding="utf-8")
    (d / "typed.toml").write_text('batch_size = "ten"\n', encoding="utf-8")
    (d / "list_lr.toml").write_text("lr = [0.1, 0.2]\n", encoding="utf-8")
    (d / "options.toml").write_text('[options]\nmodel = "mlp"\n', encoding="utf-8")
    (d / "escape.toml").write_text('name = "../elsewhere"\n', encoding="utf-8")
    (d / "section.toml").write_text("[network]\nhidden = [8]\n", encoding="utf-8")
    (d / "latin1.toml").write_bytes('name = "caf\u00e9"\n'.encode("latin-1"))


def _arrays(d: Path) -> None:
    np.save(d / "wide.npy", np.zeros((3, 5), dtype=np.float32))
    np.save(d / "points.npy", np.zeros((3, 2), dtype=np.float32))
    bad = np.zeros((3, 2), dtype=np.float32)
    bad[1, 1] = np.nan
    np.save(d / "nan.npy", bad)
    np.save(d / "strings.npy", np.array([["a", "b"]]))
    np.save(d / "objects.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    np.save(d / "cube.npy", np.zeros((2, 2, 2), dtype=np.float32))
    (d / "garbage.npy").write_bytes(b"\x93NUMPY garbage")
    (d / "garbage.safetensors").write_bytes(b"this is not a model")
    (d / "data.json").write_text(json.dumps({"x": [1, 2]}), encoding="utf-8")


def write_bad_files(d: Path) -> Path:
    """Write every bad file into ``d``; return ``d``."""
    for writer in (_csv_files, _text_files, _idx_files, _config_files, _arrays):
        writer(d)
    return d


# --------------------------------------------------------------------------- permissions
_WRITE_ONLY_CANDIDATES = ("/sys/bus/pci/rescan", "/sys/class/zram-control/hot_remove",
                          "/sys/devices/pci0000:00/0000:00:00.0/rescan")


def unreadable_file(folder: Path) -> Path:
    """A path whose reading fails with PermissionError, also for root.

    A normal user: a file with mode 000. Root reads any such file, so a symbolic
    link to a write-only sysfs attribute stands in (the kernel refuses to read it);
    where there is none, the test is skipped with the reason.
    """
    link = folder / "locked.csv"
    if link.exists() or link.is_symlink():
        return link
    if os.geteuid() != 0:
        link.write_text("x1,x2,label\n1,2,a\n", encoding="utf-8")
        link.chmod(0)
        return link
    for candidate in [*_WRITE_ONLY_CANDIDATES, *glob.glob("/sys/devices/*/*/rescan")]:
        try:
            open(candidate, "rb").close()  # noqa: SIM115 - readable: not a candidate
        except PermissionError:
            link.symlink_to(candidate)
            return link
        except OSError:
            continue
    pytest.skip("running as root, where chmod 000 does not stop reading, and no write-only "
                "sysfs file was found to stand in for an unreadable one")


def unwritable_folder(folder: Path) -> Path:
    """A folder where creating a file fails with PermissionError, also for root (/sys)."""
    if os.geteuid() == 0:
        return Path("/sys")
    locked = folder / "locked_dir"
    locked.mkdir(exist_ok=True)
    locked.chmod(0o555)
    return locked
