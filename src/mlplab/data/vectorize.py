"""``TextVectorizer``: texts → sparse feature rows x (CSR, float32), via scikit-learn.

The counting and weighting are scikit-learn's ``TfidfVectorizer`` /
``CountVectorizer`` / ``HashingVectorizer``; this class chooses the tokenizer by
name, returns float32 CSR (so ``Linear`` computes Z = X Wᵀ + b without densifying
X), and saves its fitted state as plain JSON plus one array (no pickle).

TF-IDF of term t in document d, with n documents of which df(t) contain t
(scikit-learn's smoothed form, ``smooth_idf=True``):

    tf(t, d) = count of t in d          (1 + log tf with ``sublinear_tf=True``)
    idf(t)   = ln((1 + n) / (1 + df(t))) + 1
    x_t      = tf(t, d) · idf(t),  then x = x / ‖x‖₂  (``norm='l2'``)

A term never seen during ``fit`` has no column: it is ignored at transform time.

>>> v = TextVectorizer(analyzer="char", ngram_range=(1, 1))
>>> X = v.fit_transform(["猫吃鱼", "狗吃肉"])
>>> X.shape, X.dtype, v.vocabulary[:3]
((2, 5), dtype('float32'), ['吃', '狗', '猫'])
>>> same = TextVectorizer.from_dict(v.to_dict())
>>> bool((same.transform(["猫吃肉 unseen"]) != v.transform(["猫吃肉 unseen"])).nnz == 0)
True
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterable
from typing import Any

import numpy as np

from mlplab.checks import OneOf, ParameterError, check, shown
from mlplab.data.tokenize import ANALYZERS, check_analyzer, get_tokenizer

__all__ = ["TextVectorizer", "check_texts"]

KINDS = ("tfidf", "count", "hashing")
_PARAMS = ("kind", "analyzer", "ngram_range", "tokenizer", "lowercase", "max_features",
           "min_df", "max_df", "sublinear_tf", "binary", "norm", "n_features")


def check_texts(texts: Any, name: str = "texts") -> list[str]:
    if isinstance(texts, str):
        raise TypeError(f"{name}: expected a list of texts, received one string; wrap it: "
                        f"[{texts[:20]!r}]")
    if not isinstance(texts, Iterable):
        raise TypeError(f"{name}: expected a list of strings, received {type(texts).__name__}")
    texts = list(texts)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"{name}[{i}]: expected a string, received {type(t).__name__}")
    return texts


class TextVectorizer:
    """Bag-of-n-grams features for text classification, as float32 CSR rows.

    Args:
        kind: 'tfidf' (default), 'count' (raw term counts) or 'hashing' (no
            vocabulary: term → column by a hash, ``n_features`` columns, L2-normalized).
        analyzer: 'word' (n-grams of tokens), 'char' (character n-grams, spaces
            included), 'char_wb' (character n-grams inside word boundaries) or 'chinese'
            (jieba words + character n-grams; see ``mlplab.data.tokenize``).
        ngram_range: (min_n, max_n) of the n-grams (words for 'word', characters otherwise).
        tokenizer: for analyzer='word': 'english' (default), 'jieba', 'char' or a name
            registered with ``register_tokenizer``.
        lowercase: lowercase before analysis (default True).
        max_features: keep only the most frequent terms (None: all).
        min_df: drop terms found in fewer documents (int: a count, float: a
            fraction), as in scikit-learn.
        max_df: drop terms found in more documents (int: a count, float: a fraction).
        sublinear_tf: use 1 + log(tf) instead of tf (dampens repeated words).
        binary: count presence (0/1) instead of occurrences.
        norm: 'l2', 'l1' or None, applied to each row (tfidf and hashing).
        n_features: columns of the hashing kind (default 2²⁰).

    Attributes (after ``fit``): ``vocabulary`` (terms in column order), ``idf``
    (float64, tfidf only), ``n_features_out``.
    """

    def __init__(self, kind: str = "tfidf", analyzer: str = "word",
                 ngram_range: tuple[int, int] = (1, 1), tokenizer: str | None = None,
                 lowercase: bool = True, max_features: int | None = None,
                 min_df: int | float = 1, max_df: int | float = 1.0, sublinear_tf: bool = False,
                 binary: bool = False, norm: str | None = "l2",
                 n_features: int = 2 ** 20) -> None:
        self.kind = check("TextVectorizer", "kind", kind, OneOf(KINDS, example="'tfidf'"))
        self.analyzer = check_analyzer(analyzer)
        lo, hi = _check_ngram_range(ngram_range)
        self.ngram_range = (lo, hi)
        if tokenizer is not None:
            if analyzer != "word":
                raise ValueError(f"tokenizer: only used with analyzer='word', but analyzer="
                                 f"{analyzer!r}; drop tokenizer= or set analyzer='word'")
            get_tokenizer(tokenizer)  # fail now on a typo, not at fit time
        self.tokenizer = tokenizer
        self.lowercase = bool(lowercase)
        self.max_features = max_features
        self.min_df, self.max_df = min_df, max_df
        self.sublinear_tf, self.binary = bool(sublinear_tf), bool(binary)
        self.norm = check("TextVectorizer", "norm", norm, OneOf(("l2", "l1", None), example="'l2'"))
        self.n_features = int(n_features)
        self._sk: Any = None
        self._fitted = False

    # ----- the scikit-learn object ----------------------------------------------------------
    def _analysis_args(self) -> dict[str, Any]:
        if self.analyzer in ANALYZERS:
            fn = functools.partial(ANALYZERS[self.analyzer], ngram_range=self.ngram_range)
            if self.lowercase:
                return {"analyzer": lambda text: fn(text.lower())}
            return {"analyzer": fn}
        args: dict[str, Any] = {"analyzer": self.analyzer, "ngram_range": self.ngram_range,
                                "lowercase": self.lowercase}
        if self.analyzer == "word":
            args["tokenizer"] = get_tokenizer(self.tokenizer or "english")
            args["token_pattern"] = None
        return args

    def _build(self) -> Any:
        from sklearn.feature_extraction.text import (
            CountVectorizer,
            HashingVectorizer,
            TfidfVectorizer,
        )

        args = self._analysis_args()
        if self.kind == "hashing":
            return HashingVectorizer(n_features=self.n_features, norm=self.norm,
                                     binary=self.binary, alternate_sign=False,
                                     dtype=np.float32, **args)
        common = dict(max_features=self.max_features, min_df=self.min_df, max_df=self.max_df,
                      binary=self.binary, dtype=np.float32, **args)
        if self.kind == "count":
            return CountVectorizer(**common)
        return TfidfVectorizer(norm=self.norm, sublinear_tf=self.sublinear_tf, **common)

    # ----- fit / transform --------------------------------------------------------------------
    def fit(self, texts: Iterable[str]) -> TextVectorizer:
        """Learn the vocabulary (and idf) from the training texts."""
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: Iterable[str]) -> Any:
        """Fit, then return the features of ``texts``: CSR (n_texts, n_features), float32."""
        texts = check_texts(texts)
        if not texts:
            raise ValueError("texts: expected at least one text to fit on, received none")
        self._sk = self._build()
        try:
            X = self._sk.fit_transform(texts)
        except ValueError as err:
            if "vocabulary" in str(err) or "max_df corresponds" in str(err):
                raise ValueError(f"TextVectorizer.fit: no terms left to use ({err}); lower "
                                 "min_df, raise max_df or check the analyzer/tokenizer") from None
            raise
        self._fitted = True
        return self._finish(X)

    def transform(self, texts: Iterable[str]) -> Any:
        """Features of ``texts`` with the fitted vocabulary; unseen terms are ignored."""
        if not self._fitted:
            raise RuntimeError("TextVectorizer: call fit(texts) (or load a fitted one) "
                               "before transform")
        return self._finish(self._sk.transform(check_texts(texts)))

    @staticmethod
    def _finish(X: Any) -> Any:
        X = X.tocsr()
        if X.dtype != np.float32:
            X = X.astype(np.float32)
        X.sort_indices()
        return X

    # ----- fitted state -------------------------------------------------------------------------
    @property
    def vocabulary(self) -> list[str]:
        """Terms in column order (empty for the hashing kind)."""
        if not self._fitted or self.kind == "hashing":
            return []
        terms = [""] * len(self._sk.vocabulary_)
        for term, col in self._sk.vocabulary_.items():
            terms[col] = term
        return terms

    @property
    def idf(self) -> np.ndarray | None:
        """idf(t) per column (tfidf kind), float64."""
        if not self._fitted or self.kind != "tfidf":
            return None
        return np.asarray(self._sk.idf_, dtype=np.float64)

    @property
    def n_features_out(self) -> int:
        """The number of feature columns (the input width of the model)."""
        if self.kind == "hashing":
            return self.n_features
        if not self._fitted:
            raise RuntimeError("TextVectorizer: not fitted yet; call fit(texts)")
        return len(self._sk.vocabulary_)

    def get_params(self) -> dict[str, Any]:
        """The constructor arguments (JSON-able)."""
        params = {name: getattr(self, name) for name in _PARAMS}
        params["ngram_range"] = list(self.ngram_range)
        return params

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types plus the idf array: what ``ml.save`` stores in the model file."""
        state: dict[str, Any] = {"params": self.get_params(), "fitted": self._fitted}
        if self._fitted and self.kind != "hashing":
            state["vocabulary"] = self.vocabulary
        if self.idf is not None:
            state["idf"] = self.idf
        return state

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> TextVectorizer:
        """Rebuild a fitted vectorizer from ``to_dict()`` without refitting."""
        try:
            params = dict(state["params"])
            params["ngram_range"] = tuple(params["ngram_range"])
            self = cls(**params)
            if not state.get("fitted"):
                return self
            self._sk = self._build()
            if self.kind != "hashing":
                terms = list(state["vocabulary"])
                self._sk.vocabulary_ = {term: col for col, term in enumerate(terms)}
                self._sk.fixed_vocabulary_ = True
            if self.kind == "tfidf":
                idf = np.asarray(state["idf"], dtype=np.float64)
                if idf.shape != (len(terms),):
                    raise ValueError(f"idf has shape {idf.shape}, expected ({len(terms)},)")
                self._sk.idf_ = idf  # scikit-learn's setter builds the fitted transformer
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"state: not a TextVectorizer.to_dict() result ({err})") from None
        self._fitted = True
        return self

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items()
                          if v != _defaults().get(k))
        return f"TextVectorizer({shown})"


MAX_NGRAM = 20
"""Longest n-gram accepted: every text is scanned once per n, so a huge max_n (a typo, or
a hostile model file) would hang prediction rather than fail."""


def _check_ngram_range(ngram_range: Any) -> tuple[int, int]:
    try:
        lo, hi = (int(n) for n in ngram_range)
    except (TypeError, ValueError):
        lo, hi = 0, -1
    if not 1 <= lo <= hi <= MAX_NGRAM:
        raise ParameterError(
            f"TextVectorizer: ngram_range must be (min_n, max_n) with 1 <= min_n <= max_n <= "
            f"{MAX_NGRAM}, got {shown(ngram_range)}; e.g. ngram_range=(1, 2)")
    return lo, hi


def _defaults() -> dict[str, Any]:
    params = inspect.signature(TextVectorizer).parameters
    defaults = {name: p.default for name, p in params.items()}
    defaults["ngram_range"] = list(defaults["ngram_range"])
    return defaults
