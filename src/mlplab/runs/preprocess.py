"""Preprocessing fitted on the training split only, and saved with the model.

Every statistic used to transform inputs — a CSV's categories and medians
(``TabularEncoder``), the mean μ and deviation σ of each feature (``Standardizer``:
x := (x − μ)/σ) — is computed on the training split alone and then applied
unchanged to dev, test and every later prediction, so nothing about the test set
leaks into training. :class:`Preprocessor` holds those fitted steps and saves them
as plain JSON in the model file, so ``mlplab predict`` turns raw inputs into what
the network saw.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from mlplab.runs.data import Part

__all__ = ["InputRangeWarning", "Preprocessor"]


class InputRangeWarning(UserWarning):
    """Inputs lie far outside the range of the training inputs (e.g. not scaled alike)."""


class Preprocessor:
    """The fitted input pipeline: optional ``TabularEncoder`` (CSV → numbers), then an
    optional ``Standardizer`` (x := (x − μ)/σ with training μ, σ).

    ``input_range`` is [min, max] of the training inputs before scaling. Inputs that
    reach further than one such range width beyond it (pixels as 0–16 counts for a
    model trained on [0, 1] values) are probably scaled differently from the training
    data: :meth:`transform` then warns once with an :class:`InputRangeWarning`.

    ``to_dict``/``from_dict`` give plain JSON for the model file (no pickle).
    """

    def __init__(self, encoder: Any = None, scaler: Any = None,
                 input_width: int | None = None,
                 input_range: tuple[float, float] | None = None) -> None:
        self.encoder = encoder
        self.scaler = scaler
        self.input_width = input_width
        self.input_range = input_range
        self._warned = False

    @classmethod
    def fit(cls, part: Part, standardize: bool, target: str | None = None,
            numeric: bool = False, drop: tuple[str, ...] = ()) -> Preprocessor:
        """Fit on the training part only: the encoder (CSV tables; class labels from the
        ``target`` column, or, when ``numeric``, the target left out of the features;
        ``drop`` columns left out too), then the Standardizer on the encoded features
        when ``standardize``."""
        from mlplab.data import Standardizer, TabularEncoder

        encoder = None
        if isinstance(part.features, dict):
            encoder = (TabularEncoder(None, drop=[target, *drop]) if numeric
                       else TabularEncoder(target, drop=list(drop)))
            encoder.fit(part.features)
            X = encoder.transform(part.features).X
        else:
            X = np.asarray(part.features).reshape(len(part), -1)
        scaler = Standardizer().fit(X) if standardize else None
        span = (float(X.min()), float(X.max())) if X.size else None
        return cls(encoder, scaler, X.shape[1], span)

    def check_range(self, X: np.ndarray) -> None:
        """Warn once when ``X`` reaches far outside the training inputs' range."""
        if self._warned or self.input_range is None or not X.size:
            return
        low, high = self.input_range
        width = (high - low) or 1.0
        seen_low, seen_high = float(X.min()), float(X.max())
        if low - width <= seen_low and seen_high <= high + width:
            return
        self._warned = True
        warnings.warn(InputRangeWarning(
            f"input: values range over [{seen_low:.4g}, {seen_high:.4g}], and the model was "
            f"trained on inputs in [{low:.4g}, {high:.4g}]; are they scaled the same way "
            "(e.g. pixels divided by their maximum)? Predictions this far outside the "
            "training range are unreliable"), stacklevel=4)

    @property
    def class_names(self) -> list[str] | None:
        return list(self.encoder.class_names) if self.encoder is not None else None

    def transform(self, part: Part) -> tuple[np.ndarray, np.ndarray | None]:
        """Features the network takes (float32, width ``input_width``) and labels (or None)."""
        if isinstance(part.features, dict):
            if self.encoder is None:
                raise ValueError("input: this model was trained on numeric arrays, not a CSV "
                                 "table with named columns")
            try:
                encoded = self.encoder.transform(part.features)
            except ValueError as err:
                raise ValueError(f"input: {err}") from None
            X, y = encoded.X, (encoded.y if encoded.y is not None else part.y)
        else:
            X, y = self._as_matrix(part.features), part.y
        self.check_range(X)
        if self.scaler is not None:
            X = self.scaler.transform(X)
        return np.ascontiguousarray(X, dtype=np.float32), y

    def _as_matrix(self, X: Any) -> np.ndarray:
        X = np.asarray(X)
        if X.dtype.kind not in "biuf":
            raise ValueError(f"input: expected numbers, received values of type {X.dtype}")
        if X.ndim > 2:  # images (n, H, W) → rows of pixels
            X = X.reshape(len(X), -1)
        if X.ndim != 2:
            raise ValueError(f"input: expected a 2-D array (samples, features), received "
                             f"shape {X.shape}")
        if self.encoder is not None:
            raise ValueError("input: this model was trained on a CSV table; pass a CSV file "
                             "with the training file's column names")
        if self.input_width is not None and X.shape[1] != self.input_width:
            raise ValueError(f"input: the model takes {self.input_width} features per sample, "
                             f"received {X.shape[1]}; pass data with the training data's "
                             "columns")
        if not np.isfinite(X).all():
            row, col = np.argwhere(~np.isfinite(X))[0]
            raise ValueError(f"input: row {row}, column {col} is {X[row, col]}; remove or fill "
                             "non-finite values")
        return X.astype(np.float32, copy=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "encoder": self.encoder.to_dict() if self.encoder is not None else None,
            "scaler": self.scaler.to_dict() if self.scaler is not None else None,
            "input_width": self.input_width,
            "input_range": None if self.input_range is None else list(self.input_range),
        }

    @classmethod
    def from_dict(cls, state: dict[str, Any] | None) -> Preprocessor:
        from mlplab.data import MinMaxScaler, Standardizer, TabularEncoder

        state = state or {}
        encoder = state.get("encoder")
        scaler = state.get("scaler")
        if scaler is not None:
            kinds = {"Standardizer": Standardizer, "MinMaxScaler": MinMaxScaler}
            if not isinstance(scaler, dict) or scaler.get("type") not in kinds:
                raise ValueError("the model file's scaler is not a Standardizer or MinMaxScaler")
            scaler = kinds[scaler["type"]].from_dict(scaler)
        span = state.get("input_range")
        if span is not None and (not isinstance(span, list) or len(span) != 2):
            raise ValueError("the model file's input_range is not a pair [min, max]")
        return cls(TabularEncoder.from_dict(encoder) if encoder is not None else None, scaler,
                   state.get("input_width"),
                   None if span is None else (float(span[0]), float(span[1])))
