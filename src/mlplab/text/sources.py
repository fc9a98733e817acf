"""Text files for runs and predictions: labelled sources, texts to classify, the language.

Where the dev and test texts of a run come from, in this order: ``[options] dev =
PATH`` / ``test = PATH``; files named ``dev.*`` / ``test.*`` beside a training file
named ``train.*`` (THUCNews and 20 Newsgroups ship so); else stratified random
splits of the training file (``validation_split``, ``test_split``).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.data.text import FORMATS, load_text

__all__ = ["detect_language", "load_labelled", "parse_text_source", "read_texts",
           "run_name_for", "sibling_file"]


def parse_text_source(spec: str | Path) -> tuple[str | None, Path]:
    """``'tsv:PATH'`` → ('tsv', PATH); ``'PATH'`` → (None, PATH): the format is guessed.

    >>> parse_text_source("jsonl:data/train.jsonl.gz")
    ('jsonl', PosixPath('data/train.jsonl.gz'))
    """
    text = str(spec)
    prefix, sep, rest = text.partition(":")
    if sep and prefix in FORMATS:
        return prefix, Path(rest)
    if sep and prefix.isalpha() and len(prefix) > 1 and not Path(text).exists():
        raise ValueError(f"data: unknown text format {prefix!r} in {text!r}; write tsv:PATH "
                         "or jsonl:PATH")
    return None, Path(text)


def load_labelled(source: str | Path, options: dict[str, Any], label_names: Any = None,
                  fmt: str | None = None) -> tuple[list[str], np.ndarray, list[str]]:
    """Texts, class ids and class names of a labelled file (``tsv:PATH``, ``jsonl:PATH`` or
    a path), with the text and label fields the run's options name."""
    if fmt is None:
        fmt, source = parse_text_source(source)
    return load_text(source, format=fmt, text_field=options.get("text_field", "text"),
                     label_field=options.get("label_field", "label"), label_names=label_names)


def detect_language(texts: list[str], sample: int = 2000) -> str:
    """'chinese' if at least 30% of the letters in a sample are CJK ideographs, else 'english'."""
    cjk = letters = 0
    for text in texts[:sample]:
        for ch in text:
            if ch.isalpha():
                letters += 1
                cjk += "\u4e00" <= ch <= "\u9fff"
    return "chinese" if letters and cjk / letters >= 0.3 else "english"


def sibling_file(train_path: Path, role: str) -> Path | None:
    """``dir/test.txt`` for ``dir/train.txt`` (role 'test'), when that file exists."""
    if not train_path.name.startswith("train"):
        return None
    candidate = train_path.with_name(role + train_path.name[len("train"):])
    return candidate if candidate.is_file() else None


def run_name_for(train_path: Path) -> str:
    """'thucnews_titles' for thucnews_titles/train.txt, 'reviews' for reviews.tsv."""
    stem = train_path.name.split(".")[0]
    if stem == "train" and train_path.parent.name not in ("", "."):
        return train_path.parent.name
    return stem or "text"


def _decode(path: Path) -> list[str]:
    if path.is_dir():
        raise IsADirectoryError(f"input: {path} is a folder; pass a file with one text per line")
    if not path.is_file():
        raise FileNotFoundError(f"input: file not found: {path}")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"input: {path} is not UTF-8 text; convert it, e.g. iconv -f GB18030 "
                         "-t UTF-8") from None
    lines = [line for line in content.split("\n") if line.strip()]
    if not lines:
        raise ValueError(f"input: {path} holds no texts")
    return lines


def read_texts(path: str | Path, text_field: str = "text") -> list[str]:
    """Texts to classify: JSON Lines (``.jsonl``, gzip allowed; the ``text_field`` of each
    line) or any other text file, one text per non-blank line."""
    path = Path(path)
    lines = _decode(path)
    if ".jsonl" not in path.suffixes and ".json" not in path.suffixes:
        return [line.rstrip("\r") for line in lines]
    texts = []
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise ValueError(f"input: {path} line {number} is not JSON") from None
        if not isinstance(record, dict) or not isinstance(record.get(text_field), str):
            raise ValueError(f"input: {path} line {number} has no string field "
                             f"{text_field!r}")
        if not record[text_field].strip():
            raise ValueError(f"input: {path} line {number}: the text is empty, there is "
                             "nothing to classify; remove the line")
        texts.append(record[text_field])
    return texts
