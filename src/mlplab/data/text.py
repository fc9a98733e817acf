"""Labelled text files: ``text<TAB>label`` lines and JSON Lines, plain or gzip.

``load_text`` returns ``(texts, labels, class_names)``: a list of strings, int64
class ids y ∈ {0, …, K−1} and the K class names, ready for ``TextVectorizer``
and a softmax classifier (a = softmax(W x + b), class = argmax a).

Class names come from ``label_names`` (a list, or a file with one name per line);
if it is None, a ``class.txt`` or ``labels.txt`` beside the data file is used
(THUCNews and 20 Newsgroups ship one), else the sorted distinct labels. A label in
the file maps to the class whose *name* it equals, or, if it is an integer, to
the class with that *id* (THUCNews writes ``标题\\t3`` with names in class.txt).

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "toy.tsv"
>>> _ = p.write_text("好看的电影\\tpos\\n无聊\\tneg\\n", encoding="utf-8")
>>> load_text(p)
(['好看的电影', '无聊'], array([1, 0]), ['neg', 'pos'])
"""

from __future__ import annotations

import gzip
import json
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["EmptyTextWarning", "TextFileError", "load_text", "read_label_names", "encode_labels"]

FORMATS = ("tsv", "jsonl")
_NAME_FILES = ("class.txt", "labels.txt")
# Encodings tried, in this order, to name the encoding of a file that is not UTF-8.
_GUESSES = ("utf-16", "gb18030", "big5", "shift_jis", "euc-kr", "cp1252")


class TextFileError(ValueError):
    """A text dataset file that cannot be read: empty, malformed line, wrong encoding."""


class EmptyTextWarning(UserWarning):
    """A labelled file holds texts with no characters: examples without any feature."""


def _warn_empty(path: Path, texts: list[str], lines: list[int]) -> None:
    """One warning naming the file and the line of the first empty text, if any."""
    empty = [line for text, line in zip(texts, lines, strict=True) if not text.strip()]
    if empty:
        more = f" ({len(empty)} empty texts in all)" if len(empty) > 1 else ""
        warnings.warn(EmptyTextWarning(
            f"{path}, line {empty[0]}: the text is empty{more}; it has no words to learn "
            "from or to classify; remove such lines"), stacklevel=3)


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder, not a text file; pass the file inside it")
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such text file")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":  # gzip magic number, whatever the file is called
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise TextFileError(f"{path}: a damaged gzip file ({err})") from None
    return raw


def _guess_encoding(raw: bytes) -> str | None:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    for name in _GUESSES[1:]:
        try:
            raw.decode(name)
        except UnicodeDecodeError:
            continue
        return name.upper()
    return None


def _decode(path: Path, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        if encoding.replace("-", "").lower() not in ("utf8", "utf8sig"):
            raise TextFileError(f"{path}: not valid {encoding} ({err.reason} at byte "
                                f"{err.start}); pass the file's encoding=") from None
        line = raw.count(b"\n", 0, err.start) + 1
        guess = _guess_encoding(raw)
        looks = f" (looks like {guess})" if guess else ""
        fix = (f"convert it (iconv -f {guess} -t UTF-8) or pass encoding={guess.lower()!r}"
               if guess else "convert it to UTF-8 or pass its encoding=")
        raise TextFileError(f"{path}: not UTF-8{looks}: invalid byte at line {line}; "
                            f"{fix}") from None


def _parse_tsv(path: Path, lines: list[str]) -> tuple[list[str], list[str], list[int]]:
    texts, labels, numbers = [], [], []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue  # blank lines (e.g. a final empty line) carry no example
        text, tab, label = line.rpartition("\t")  # the label follows the last tab
        label = label.strip()
        if not tab or not label:
            raise TextFileError(f"{path}, line {number}: no label; expected 'text<TAB>label', "
                                f"got {line[:60]!r}")
        texts.append(text)
        labels.append(label)
        numbers.append(number)
    return texts, labels, numbers


def _parse_jsonl(path: Path, lines: list[str], text_field: str,
                 label_field: str) -> tuple[list[str], list[str], list[int]]:
    texts, labels, numbers = [], [], []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise TextFileError(f"{path}, line {number}: not valid JSON ({err.msg}); expected "
                                "one JSON object per line") from None
        if not isinstance(record, dict):
            raise TextFileError(f"{path}, line {number}: expected a JSON object, got "
                                f"{type(record).__name__}")
        for field in (text_field, label_field):
            if field not in record or record[field] is None:
                raise TextFileError(
                    f"{path}, line {number}: no {field!r} field (fields: "
                    f"{', '.join(map(repr, record))}); pass text_field=/label_field=")
        if not isinstance(record[text_field], str):
            raise TextFileError(f"{path}, line {number}: field {text_field!r} is not a string")
        texts.append(record[text_field])
        labels.append(str(record[label_field]).strip())
        numbers.append(number)
    return texts, labels, numbers


def read_label_names(path: str | Path) -> list[str]:
    """Class names from a file with one name per line (blank lines ignored)."""
    path = Path(path)
    text = _decode(path, _read_bytes(path), "utf-8-sig")
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if not names:
        raise TextFileError(f"{path}: the class-name file is empty")
    if len(set(names)) != len(names):
        raise TextFileError(f"{path}: the class names repeat; each class needs a distinct name")
    return names


def _sorted_labels(labels: Sequence[str]) -> list[str]:
    distinct = set(labels)
    if all(s.lstrip("-").isdigit() for s in distinct):
        return sorted(distinct, key=int)  # "2" before "10"
    return sorted(distinct)


def encode_labels(labels: Sequence[str], class_names: Sequence[str],
                  source: str = "labels") -> np.ndarray:
    """Class ids of ``labels``: a label equal to a name, or an integer id < K.

    Raises a one-line error listing the labels that are not among ``class_names``
    (e.g. test labels the model never saw during training).
    """
    index = {name: i for i, name in enumerate(class_names)}
    ids = np.empty(len(labels), dtype=np.int64)
    unseen: set[str] = set()
    k = len(class_names)
    for i, label in enumerate(labels):
        j = index.get(label)
        if j is None and label.isdigit() and int(label) < k:
            j = int(label)
        if j is None:
            unseen.add(label)
            j = -1
        ids[i] = j
    if unseen:
        shown = ", ".join(map(repr, sorted(unseen)[:10]))
        more = f" and {len(unseen) - 10} more" if len(unseen) > 10 else ""
        known = ", ".join(map(repr, list(class_names)[:10]))
        raise ValueError(f"{source}: labels not seen at training time: {shown}{more}; the "
                         f"model knows {k} classes ({known}{', …' if k > 10 else ''})")
    return ids


def load_text(path: str | Path, format: str | None = None, text_field: str = "text",
              label_field: str = "label", label_names: Sequence[str] | str | Path | None = None,
              encoding: str = "utf-8") -> tuple[list[str], np.ndarray, list[str]]:
    """Read a labelled text file: ``text<TAB>label`` lines or JSON Lines (gzip or plain).

    Args:
        path: the file. Gzip is detected from its content.
        format: 'tsv' (the label follows the last tab) or 'jsonl'; None guesses from the
            name (``.jsonl``/``.jsonl.gz``/``.json`` → jsonl, otherwise tsv).
        text_field: the JSON field holding the text.
        label_field: the JSON field holding the label.
        label_names: class names in id order (a list, or a file with one per line).
            None: ``class.txt``/``labels.txt`` beside the file, else the sorted labels.
            Pass the training classes when loading evaluation data: an unknown label
            then raises an error that lists it.
        encoding: the file's encoding; a file that is not valid UTF-8 raises an error
            naming the encoding it looks like (GB18030, Big5, …).

    Returns:
        ``(texts, labels, class_names)``: list of str, int64 array of ids, list of str.
    """
    path = Path(path)
    if format is None:
        suffixes = [s.lower() for s in path.suffixes]
        format = "jsonl" if {".jsonl", ".json", ".ndjson"} & set(suffixes) else "tsv"
    if format not in FORMATS:
        raise ValueError(f"format: expected 'tsv' or 'jsonl', received {format!r}")
    raw = _read_bytes(path)
    if not raw.strip():
        raise TextFileError(f"{path}: the file is empty; expected one labelled text per line")
    content = _decode(path, raw, "utf-8-sig" if encoding.lower() in ("utf-8", "utf8")
                      else encoding)
    lines = content.split("\n")  # not splitlines(): texts may hold \r, \x1c, … (20NG does)
    if format == "tsv":
        texts, labels, numbers = _parse_tsv(path, lines)
    else:
        texts, labels, numbers = _parse_jsonl(path, lines, text_field, label_field)
    if not texts:
        raise TextFileError(f"{path}: no examples (only blank lines)")
    _warn_empty(path, texts, numbers)
    names = _class_names(path, labels, label_names)
    return texts, encode_labels(labels, names, source=str(path)), names


def _class_names(path: Path, labels: list[str], label_names: Any) -> list[str]:
    if label_names is None:
        for name in _NAME_FILES:
            if (path.parent / name).is_file():
                return read_label_names(path.parent / name)
        return _sorted_labels(labels)
    if isinstance(label_names, str | Path):
        return read_label_names(label_names)
    names = [str(n) for n in label_names]
    if not names or len(set(names)) != len(names):
        raise ValueError(f"label_names: expected distinct class names, received {names[:10]!r}")
    return names
