"""``TfidfMLPClassifier``: raw texts in, classes out, as one scikit-learn estimator.

It chains ``ml.data.TextVectorizer`` (TF-IDF rows, float32 CSR: the first ``Linear``
layer computes Z = X Wᵀ + b without densifying X) and ``MLPClassifier``, so a text
model fits, cross-validates and grid-searches like any scikit-learn classifier::

    TfidfMLPClassifier(ngram_range=(1, 2)).fit(texts, labels).predict(["new text"])

With ``hidden_layer_sizes=()`` (the default) the network is softmax regression on
TF-IDF, a strong baseline for topic classification; give hidden layers for an MLP.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from mlplab.data.vectorize import TextVectorizer, check_texts
from mlplab.sklearn.base import store_init_params
from mlplab.sklearn.classifier import MLPClassifier

_VECTORIZER = ("analyzer", "ngram_range", "tokenizer", "max_features", "min_df",
               "sublinear_tf")


class TfidfMLPClassifier(ClassifierMixin, BaseEstimator):
    """Text classifier: TF-IDF features (``TextVectorizer``) → ``MLPClassifier``.

    Vectorizer parameters: ``analyzer`` ('word', 'char', 'char_wb', 'chinese'),
    ``ngram_range``, ``tokenizer``, ``max_features``, ``min_df``, ``sublinear_tf``
    (see ``ml.data.TextVectorizer``). Network parameters: those of ``MLPClassifier``
    listed in the signature, same meanings. Fitted: ``vectorizer_``, ``classifier_``,
    ``classes_``.
    """

    def __init__(self, analyzer: str = "word", ngram_range: tuple[int, int] = (1, 1),
                 tokenizer: str | None = None, max_features: int | None = None,
                 min_df: int | float = 1, sublinear_tf: bool = True,
                 hidden_layer_sizes: Any = (), activation: Any = "relu", solver: str = "adam",
                 alpha: float = 0.0001, batch_size: Any = "auto",
                 learning_rate_init: float = 0.01, max_iter: int = 200, tol: float = 1e-4,
                 n_iter_no_change: int = 10, early_stopping: bool = False,
                 dropout: float = 0.0, random_state: Any = None,
                 verbose: bool = False) -> None:
        store_init_params(self, locals())

    def _network_params(self) -> dict[str, Any]:
        return {k: v for k, v in self.get_params().items() if k not in _VECTORIZER}

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> TfidfMLPClassifier:
        """Fit the vocabulary and IDF on the texts X, then the network on their rows."""
        texts = check_texts(X, "X")
        self.vectorizer_ = TextVectorizer(kind="tfidf",
                                          **{k: getattr(self, k) for k in _VECTORIZER})
        features = self.vectorizer_.fit_transform(texts)
        self.classifier_ = MLPClassifier(**self._network_params())
        self.classifier_.fit(features, y, sample_weight=sample_weight)
        self.classes_ = self.classifier_.classes_
        return self

    def _features(self, X: Any) -> Any:
        check_is_fitted(self, "classifier_")
        return self.vectorizer_.transform(check_texts(X, "X"))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities for each text, in the order of ``classes_``."""
        return self.classifier_.predict_proba(self._features(X))

    def predict_log_proba(self, X: Any) -> np.ndarray:
        return self.classifier_.predict_log_proba(self._features(X))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each text."""
        return self.classifier_.predict(self._features(X))

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags
