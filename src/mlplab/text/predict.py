"""Saved text models at work: classes of texts in a file or on the command line, and
an evaluation on a labelled file (the text task's hooks for ``mlplab predict`` and
``mlplab evaluate``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlplab.text.classifier import TextClassifier
from mlplab.text.sources import load_labelled, read_texts

__all__ = ["evaluate_texts_file", "predict_texts_file", "top_classes"]


def predict_texts_file(trained: Any, input_path: str | Path, output: str | Path | None = None
                       ) -> Any:
    """Classes and probabilities of every text in ``input_path`` (see ``read_texts``)."""
    from mlplab.runs.predictions import Predictions

    clf = TextClassifier.load(trained.path)
    return Predictions.from_proba(clf.predict_proba(read_texts(input_path)), clf.class_names,
                                  output)


def evaluate_texts_file(trained: Any, data: str | Path, split: str) -> Any:
    """Loss, accuracy, per-class report and confusion matrix on every text of a labelled
    file (``tsv:PATH``, ``jsonl:PATH`` or a path); labels the model never saw raise an error.

    A text model has no test split to rebuild from a file: ``split`` must be 'all' or 'auto'.
    """
    from mlplab.runs.classify import classification_evaluation

    if split == "test":
        raise ValueError("evaluate: a text model is scored on every text of the file; pass "
                         "--split all (or leave --split out)")
    clf = TextClassifier.load(trained.path)
    texts, y, _ = load_labelled(data, {}, clf.class_names)
    return classification_evaluation(trained.trainer(), clf.transform(texts), y, "all",
                                     str(data), clf.class_names)


def top_classes(model_path: str | Path, texts: str | list[str], top: int = 3) -> list[dict]:
    """The ``top`` most probable classes of each text, as table rows.

    Each row: ``{"text": i, "rank": r, "class": name, "probability": p}`` (``text`` is
    the index of the input text, ranks start at 1). Words the model never saw are
    ignored; an empty text raises an error.
    """
    clf = TextClassifier.load(model_path)
    texts = [texts] if isinstance(texts, str) else list(texts)
    rows = []
    for i, best in enumerate(clf.top_k(texts, k=top)):
        for rank, (name, p) in enumerate(best, 1):
            rows.append({"text": i, "rank": rank, "class": name, "probability": p})
    return rows
