"""Checks on the lists of names a model file carries: a vocabulary, the class names.

A text model's vocabulary gives one term per input column x_j of the model, and its
class names one name per output z_k. Read from a file, both must be lists of
distinct strings of exactly those lengths; otherwise a damaged file would load and
then fail (or silently mislabel) at prediction time.
"""

from __future__ import annotations

from typing import Any

from mlplab.io.schema import JSON_LIST, TEXT, Invalid, expect


def check_names(names: Any, count: int | None, where: str, unit: str) -> list[str]:
    """``names`` if it is a list of ``count`` distinct strings (any count when None)."""
    names = expect(where, "list", names, JSON_LIST)
    for name in names:
        expect(where, "entry", name, TEXT)
    if len(set(names)) != len(names):
        raise Invalid(f"{where} lists the same name twice")
    if count is not None and len(names) != count:
        raise Invalid(f"{where} has {len(names)} entries but the model has {count} {unit}")
    return names


def output_width(model: Any) -> int | None:
    """Rows of the last 2-D weight: the number of outputs of an MLP (None if it has none)."""
    widths = [p.data.shape[0] for name, p in model.named_parameters()
              if name.endswith("weight") and p.data.ndim == 2]
    return int(widths[-1]) if widths else None


def check_text_model(vectorizer_state: Any, class_names: Any, model: Any,
                     input_width: int | None) -> list[str]:
    """Check a text classifier's vocabulary and class names against its model."""
    if isinstance(vectorizer_state, dict) and "vocabulary" in vectorizer_state:
        check_names(vectorizer_state["vocabulary"], input_width, "the vectorizer's vocabulary",
                    "input columns")
    return check_names(class_names, output_width(model), "the class names", "outputs")
