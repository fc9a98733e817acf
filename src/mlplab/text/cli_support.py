"""What ``mlplab train --task text``, ``mlplab evaluate`` and ``mlplab predict`` do for text.

The CLI commands stay thin: they parse options and print what these functions
return (plain dicts and rows), so the same workflow is callable from Python.

Data specs: ``tsv:PATH`` (``text<TAB>label`` lines), ``jsonl:PATH`` (JSON Lines,
gzip allowed) or a bare ``PATH`` (format guessed from the name).

>>> parse_data_spec("jsonl:data/train.jsonl.gz")
('jsonl', PosixPath('data/train.jsonl.gz'))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlplab.data.text import FORMATS, load_text
from mlplab.text.classifier import VECTORIZER_PRESETS, TextClassifier

__all__ = ["detect_language", "evaluate_text", "parse_data_spec", "predict_text", "train_text"]


def parse_data_spec(spec: str | Path) -> tuple[str | None, Path]:
    """``'tsv:PATH'`` → ('tsv', PATH); ``'PATH'`` → (None, PATH) to guess from the name."""
    text = str(spec)
    prefix, sep, rest = text.partition(":")
    if sep and prefix in FORMATS:
        return prefix, Path(rest)
    if sep and prefix.isalpha() and len(prefix) > 1 and not Path(text).exists():
        raise ValueError(f"data: unknown format {prefix!r} in {text!r}; write tsv:PATH or "
                         "jsonl:PATH")
    return None, Path(text)


def detect_language(texts: list[str], sample: int = 2000) -> str:
    """'chinese' if at least 30% of the letters in a sample are CJK ideographs, else 'english'."""
    cjk = letters = 0
    for text in texts[:sample]:
        for ch in text:
            if ch.isalpha():
                letters += 1
                cjk += "\u4e00" <= ch <= "\u9fff"
    return "chinese" if letters and cjk / letters >= 0.3 else "english"


def _load(spec: str | Path, **kwargs: Any) -> tuple[list[str], Any, list[str]]:
    fmt, path = parse_data_spec(spec)
    return load_text(path, format=fmt, **kwargs)


def train_text(data: str | Path, model: str = "softmax", features: str = "auto",
               output: str | Path | None = None, validation: str | Path | None = None,
               epochs: int | None = None, batch_size: int | None = None,
               lr: float | None = None, hidden: int = 64, dropout: float = 0.5,
               seed: int | None = 0, text_field: str = "text", label_field: str = "label",
               label_names: str | None = None, verbose: int = 0) -> dict[str, Any]:
    """Train a text classifier on a data file and (optionally) save it.

    Args:
        data: training data spec. validation: optional held-out data spec (scored after
            each epoch and at the end).
        model: 'softmax' or 'mlp'. features: a vectorizer preset ('chinese',
            'chinese_chars', 'english') or 'auto' (chinese when the texts are mostly CJK).
        output: where to save the model file (None: do not save).
        epochs, batch_size, lr, hidden, dropout, seed: see ``TextClassifier``.

    Returns a summary dict: classifier, classes, features, n_train, n_features,
    history (per-epoch lists), and validation metrics when given.
    """
    texts, labels, names = _load(data, text_field=text_field, label_field=label_field,
                                 label_names=label_names)
    if features == "auto":
        features = detect_language(texts)
    if features not in VECTORIZER_PRESETS:
        raise ValueError(f"features: expected 'auto' or one of "
                         f"{', '.join(map(repr, VECTORIZER_PRESETS))}, received {features!r}")
    clf = TextClassifier(model, vectorizer=features, hidden=hidden, dropout=dropout, lr=lr,
                         epochs=epochs, batch_size=batch_size, seed=seed, verbose=verbose)
    val = None
    if validation is not None:
        v_texts, v_labels, _ = _load(validation, text_field=text_field,
                                     label_field=label_field, label_names=names)
        val = (v_texts, v_labels)
    clf.fit(texts, labels, class_names=names, validation_data=val)
    summary: dict[str, Any] = {
        "classifier": clf, "classes": list(names), "features": features, "model": model,
        "n_train": len(texts), "n_features": clf.vectorizer.n_features_out,
        "history": {k: list(v) for k, v in clf.history.history.items()},
    }
    if val is not None:
        summary["validation"] = clf.evaluate(*val)
    if output is not None:
        summary["saved_to"] = clf.save(output)
    return summary


def evaluate_text(model_path: str | Path, data: str | Path, text_field: str = "text",
                  label_field: str = "label") -> dict[str, float]:
    """Loss and accuracy of a saved text classifier on a labelled data file.

    The file's labels are read against the model's classes: a label the model never
    saw raises an error that lists it.
    """
    clf = TextClassifier.load(model_path)
    texts, labels, _ = _load(data, text_field=text_field, label_field=label_field,
                             label_names=clf.class_names)
    return {**clf.evaluate(texts, labels), "n": len(texts)}


def predict_text(model_path: str | Path, text: str | list[str], top: int = 3) -> list[dict]:
    """The ``top`` most probable classes of each text, as rows for a table.

    Each row: ``{"text": i, "rank": r, "class": name, "probability": p}`` (text is the
    index of the input text, rank starts at 1).
    """
    clf = TextClassifier.load(model_path)
    texts = [text] if isinstance(text, str) else list(text)
    rows = []
    for i, best in enumerate(clf.top_k(texts, k=top)):
        for rank, (name, p) in enumerate(best, 1):
            rows.append({"text": i, "rank": rank, "class": name, "probability": p})
    return rows
