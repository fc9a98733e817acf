"""Tabular data from CSV: numeric and categorical columns, missing values, class labels.

A network needs a numeric matrix. :class:`TabularEncoder` turns raw string
columns into one:

- a **numeric** column (every non-missing value parses as a number) becomes
  one feature; missing values are replaced by the training median;
- a **categorical** column with categories c₁ … c_k becomes k one-hot
  features ``name=c_j``; a missing value becomes its own category
  ``name=<missing>`` when training had missing values in that column, else
  (or always, with ``categorical_missing="mode"``) the training mode;
  a category never seen in training encodes as all zeros;
- the **target** column's distinct labels, sorted, become class ids 0..K−1.

Like the scalers, the encoder is **fitted on the training file only** and then
applied unchanged to dev/test files and to new data, so the columns line up
and nothing about the test set leaks into training. Its state is a plain
JSON-able dict (``to_dict``/``from_dict``), saved in model files without pickle.

UCI conventions are handled: no header (pass ``names=``), values separated by
", ", ``?`` for missing, comment lines starting with ``|`` (``adult.test``
begins with ``|1x3 Cross validator``) and labels with a trailing period
(``>50K.`` in ``adult.test`` is the same class as ``>50K``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mlplab.checks import check_one_of, check_positive_int, did_you_mean, shown
from mlplab.memory import TooLargeError, check_fits

__all__ = ["TabularEncoder", "TabularData", "MISSING_TOKENS", "clean_labels", "listed"]

MISSING_TOKENS = ("?", "", "NA", "N/A", "NaN", "nan", "null", "None")
# a categorical column of this many rows or more whose values are this share distinct or
# more is an identifier (or free text): each one-hot feature would describe one row
_IDENTIFIER_ROWS = 50
_IDENTIFIER_SHARE = 0.9
_MISSING_CATEGORY = "<missing>"


def clean_labels(values: np.ndarray) -> np.ndarray:
    """Strip spaces and one trailing period (UCI's ``>50K.``) from label strings."""
    uniq, inv = np.unique(np.asarray(values, dtype=str), return_inverse=True)
    cleaned = [u.strip() for u in uniq.tolist()]  # few distinct labels: a Python loop is fine
    cleaned = [u[:-1] if u.endswith(".") and len(u) > 1 else u for u in cleaned]
    return np.asarray(cleaned, dtype=str)[inv.reshape(-1)]


def _codes(values: np.ndarray, categories: Sequence[str]) -> np.ndarray:
    """Index of each value in ``categories`` (−1 when absent), via its few distinct values."""
    uniq, inv = np.unique(values, return_inverse=True)
    index = {c: i for i, c in enumerate(categories)}
    lookup = np.array([index.get(u, -1) for u in uniq.tolist()], dtype=np.int64)
    return lookup[inv.reshape(-1)]


def _parse_numeric(values: np.ndarray, missing: np.ndarray) -> np.ndarray | None:
    """Float64 array (NaN where missing), or None if some value is not a number."""
    filled = np.where(missing, "nan", values)
    try:
        return filled.astype(np.float64)
    except ValueError:
        return None


def _get_column(table: Mapping[str, Sequence[str]], name: str, role: str) -> np.ndarray:
    """One column as a string array; a missing name lists the available ones."""
    if name not in table:
        available = list(table)
        raise ValueError(f"{role} column {name!r} not found; available columns: {available}"
                         f"{did_you_mean(name, available)}")
    return np.asarray(table[name], dtype=str)


@dataclass
class TabularData:
    """An encoded table: features, labels and what was done to get them.

    Attributes:
        X: (n, d) float32 feature matrix.
        y: (n,) int64 class ids, or None when no target was read.
        feature_names: d names (``age``, ``workclass=Private``, …).
        class_names: K label strings; ``y == k`` means ``class_names[k]``.
        missing: per input column, how many values were missing (only columns
            with any), before imputation.
        unknown: per categorical column, how many values were categories
            unseen when the encoder was fitted (encoded as all zeros).
        encoder: the fitted :class:`TabularEncoder`; pass it as
            ``load_csv(..., encoder=data.encoder)`` for the test file.
    """

    X: np.ndarray
    y: np.ndarray | None
    feature_names: list[str]
    class_names: list[str]
    missing: dict[str, int] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)
    encoder: TabularEncoder | None = None


class TabularEncoder:
    """Fit-on-train, apply-anywhere encoding of raw string columns (see module docs).

    Args:
        target: name of the label column, or None.
        categorical: columns to treat as categorical even if they look numeric
            (e.g. codes like ZIP); others are detected from the training data.
        drop: columns to ignore.
        missing_values: strings that mean "missing".
        categorical_missing: "category" (missing gets its own one-hot column)
            or "mode" (replace by the most frequent training category).
        max_categories: the most distinct values a categorical column may one-hot
            encode into (default 1000). A column with more is almost always an
            identifier or free text: its one-hot columns would hold one sample each
            and fill memory (10⁵ categories × 10⁵ rows is 37 GiB), so ``fit`` refuses
            it with a message naming the column; drop it or raise the limit.
    """

    def __init__(
        self,
        target: str | None = None,
        *,
        categorical: Sequence[str] = (),
        drop: Sequence[str] = (),
        missing_values: Sequence[str] = MISSING_TOKENS,
        categorical_missing: str = "category",
        max_categories: int = 1000,
    ) -> None:
        check_one_of(categorical_missing, "categorical_missing", ("category", "mode"),
                     "TabularEncoder")
        self.max_categories = check_positive_int(max_categories, "max_categories",
                                                 "TabularEncoder")
        self.target = target
        self.categorical = list(categorical)
        self.drop = list(drop)
        self.missing_values = list(missing_values)
        self.categorical_missing = categorical_missing
        self.columns: list[dict[str, Any]] | None = None  # fitted per-column specs
        self.class_names: list[str] = []

    # -- helpers ----------------------------------------------------------------

    @property
    def feature_names(self) -> list[str]:
        """Names of the encoded features, in column order."""
        self._check_fitted()
        names: list[str] = []
        for spec in self.columns:  # type: ignore[union-attr]
            if spec["kind"] == "numeric":
                names.append(spec["name"])
            else:
                names.extend(f"{spec['name']}={c}" for c in spec["categories"])
        return names

    def _check_fitted(self) -> None:
        if self.columns is None:
            raise RuntimeError("TabularEncoder is not fitted; call fit(table) on the training data")

    # -- fit / transform --------------------------------------------------------

    def fit(self, table: Mapping[str, Sequence[str]]) -> TabularEncoder:
        """Learn column kinds, medians, categories and class names from ``table``."""
        for name in [*self.categorical, *self.drop]:
            _get_column(table, name, "a listed")
        if self.target is not None:
            labels = _get_column(table, self.target, "target")
            present = labels[~np.isin(labels, self.missing_values)]
            self.class_names = np.unique(clean_labels(present)).tolist()
        skip = {self.target, *self.drop}
        columns = []
        for name, raw in table.items():
            if name in skip:
                continue
            values = np.asarray(raw, dtype=str)
            missing = np.isin(values, self.missing_values)
            numbers = None if name in self.categorical else _parse_numeric(values, missing)
            if numbers is not None:
                _check_finite(name, values, numbers, missing)
                med = float(np.median(numbers[~missing])) if (~missing).any() else 0.0
                columns.append({"name": name, "kind": "numeric", "median": med})
                continue
            cats, counts = np.unique(values[~missing], return_counts=True)
            self._check_category_count(name, cats, len(values))
            spec: dict[str, Any] = {"name": name, "kind": "categorical"}
            spec["categories"] = cats.tolist()
            spec["mode"] = str(cats[np.argmax(counts)]) if len(cats) else None
            if missing.any() and self.categorical_missing == "category":
                spec["categories"].append(_MISSING_CATEGORY)
            columns.append(spec)
        self.columns = columns
        return self

    def transform(
        self, table: Mapping[str, Sequence[str]], *, with_target: bool = True
    ) -> TabularData:
        """Encode ``table`` with the fitted state; reads y when the target column is present."""
        self._check_fitted()
        n = len(next(iter(table.values()))) if table else 0
        check_fits(4.0 * n * len(self.feature_names), f"encoding {n} rows into "
                   f"{len(self.feature_names)} features (float32)",
                   "drop the widest categorical columns or encode fewer rows at a time")
        blocks, missing_report, unknown_report = [], {}, {}
        for spec in self.columns:  # type: ignore[union-attr]
            name = spec["name"]
            values = _get_column(table, name, "feature")
            missing = np.isin(values, self.missing_values)
            if missing.any():
                missing_report[name] = int(missing.sum())
            if spec["kind"] == "numeric":
                numbers = _parse_numeric(values, missing)
                if numbers is None:
                    bad = next(
                        v
                        for v, m in zip(values, missing, strict=True)
                        if not m and not _is_number(v)
                    )
                    raise ValueError(
                        f"column {name!r}: value {str(bad)!r} is not a number, but the column was "
                        "numeric when the encoder was fitted; fix the file or refit"
                    )
                _check_finite(name, values, numbers, missing)
                numbers[missing] = spec["median"]
                blocks.append(numbers[:, None].astype(np.float32))
                continue
            cats = spec["categories"]
            if missing.any():
                fill = _MISSING_CATEGORY if _MISSING_CATEGORY in cats else spec["mode"]
                values = np.where(missing, fill if fill is not None else "", values)
            codes = _codes(values, cats)
            unseen = codes < 0
            if unseen.any():
                unknown_report[name] = int(unseen.sum())
            onehot = np.zeros((n, len(cats)), dtype=np.float32)
            onehot[np.flatnonzero(~unseen), codes[~unseen]] = 1.0
            blocks.append(onehot)
        X = (
            np.concatenate(blocks, axis=1)
            if blocks
            else np.zeros((n, 0), np.float32)
        )
        y = None
        if with_target and self.target is not None and self.target in table:
            y = self._encode_labels(_get_column(table, self.target, "target"))
        return TabularData(
            X, y, self.feature_names, list(self.class_names), missing_report, unknown_report, self
        )

    def _check_category_count(self, name: str, categories: np.ndarray, rows: int) -> None:
        """Refuse a column with more categories than ``max_categories``, or one whose values
        are (nearly) all different: an identifier or free text, nothing to generalize from."""
        count = len(categories)
        unique = rows >= _IDENTIFIER_ROWS and count >= _IDENTIFIER_SHARE * rows
        if count <= self.max_categories and not unique:
            return
        examples = ", ".join(shown(str(c)) for c in categories[:3])
        why = (f"more than max_categories={self.max_categories}"
               if count > self.max_categories else "nearly one per row")
        raise TooLargeError(
            f"column {name!r} has {count} distinct values in {rows} rows (e.g. {examples}): "
            f"one-hot encoding it would add {count} features, {why}; it looks like an "
            f"identifier or free text: drop it (drop=[{name!r}])"
            + (" or raise max_categories" if count > self.max_categories else "")
        )

    def fit_transform(self, table: Mapping[str, Sequence[str]]) -> TabularData:
        """``fit(table)`` then ``transform(table)``: for the training file."""
        return self.fit(table).transform(table)

    def _encode_labels(self, labels: np.ndarray) -> np.ndarray:
        cleaned = clean_labels(labels)
        codes = _codes(cleaned, self.class_names)
        if (codes < 0).any():
            bad = str(cleaned[int(np.argmax(codes < 0))])
            raise ValueError(
                f"target {self.target!r}: label {bad!r} (row {int(np.argmax(codes < 0)) + 1}) was "
                f"not seen when the encoder was fitted; known classes: "
                f"{listed(self.class_names)}"
            )
        return codes

    # -- serialization ----------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able state: settings, per-column specs and class names."""
        self._check_fitted()
        return {
            "type": "TabularEncoder",
            "version": 1,
            "target": self.target,
            "categorical": list(self.categorical),
            "drop": list(self.drop),
            "missing_values": list(self.missing_values),
            "categorical_missing": self.categorical_missing,
            "max_categories": self.max_categories,
            "columns": [dict(spec) for spec in self.columns],  # type: ignore[union-attr]
            "class_names": list(self.class_names),
        }

    @classmethod
    def from_dict(cls, state: Mapping[str, Any]) -> TabularEncoder:
        """Rebuild a fitted encoder from :meth:`to_dict` output."""
        if not isinstance(state, Mapping) or state.get("type") != "TabularEncoder":
            raise ValueError("state: expected a dict saved by TabularEncoder.to_dict()")
        if state.get("version") != 1:
            raise ValueError(
                f"state: TabularEncoder format version {state.get('version')!r} is not supported "
                "(this mlplab reads version 1); upgrade mlplab"
            )
        try:
            enc = cls(
                state["target"],
                categorical=state["categorical"],
                drop=state["drop"],
                missing_values=state["missing_values"],
                categorical_missing=state["categorical_missing"],
                max_categories=state.get("max_categories", 1000),
            )
            columns = [dict(spec) for spec in state["columns"]]
            for spec in columns:
                if spec["kind"] not in ("numeric", "categorical"):
                    raise ValueError(f"unknown column kind {spec['kind']!r}")
            enc.columns = columns
            enc.class_names = [str(c) for c in state["class_names"]]
        except (KeyError, TypeError) as err:
            raise ValueError(f"state: incomplete TabularEncoder dict (missing {err})") from None
        return enc

    def __repr__(self) -> str:
        width = len(self.feature_names) if self.columns is not None else "unfitted"
        return f"TabularEncoder(target={self.target!r}, features={width})"


def listed(values: Sequence[Any], limit: int = 8) -> str:
    """'a, b, c, … (250 in all)': a few values, never hundreds, in a message."""
    items = [str(v) for v in values]
    head = ", ".join(items[:limit])
    return head if len(items) <= limit else f"{head}, … ({len(items)} in all)"


def _check_finite(name: str, values: np.ndarray, numbers: np.ndarray,
                  missing: np.ndarray) -> None:
    """A numeric column holds finite numbers (missing ones are imputed, inf is an error)."""
    bad = ~np.isfinite(numbers) & ~missing
    if bad.any():
        row = int(np.argmax(bad))
        raise ValueError(f"column {name!r}: data row {row + 1} holds {str(values[row])!r}, not "
                         "a finite number; fix or remove it (an empty cell or '?' counts as "
                         "missing and is filled with the median)")


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
