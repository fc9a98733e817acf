"""``TextClassifier``: raw texts in, classes out — vectorizer + model + class names.

    texts ──TextVectorizer──▶ X (CSR, float32) ──model──▶ z ──softmax──▶ a ──argmax──▶ class

Training uses ``ml.train.Trainer`` with ``CrossEntropyLoss`` (L = −Σ y log a, so
dZ = A − Y) and Adam. ``save`` writes one safe model file: the weights plus, as
JSON metadata, the vectorizer's vocabulary and idf, the class names and the
settings, so ``TextClassifier.load(path).predict(["…"])`` works on raw text.

>>> clf = TextClassifier("softmax", vectorizer=TextVectorizer(analyzer="char"),
...                      epochs=30, batch_size=4, seed=0)
>>> clf = clf.fit(["好看 精彩", "精彩 好看 推荐", "无聊 难看", "难看 浪费"],
...               ["pos", "pos", "neg", "neg"])
>>> clf.predict_labels(["很精彩"]), clf.class_names
(['pos'], ['neg', 'pos'])
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.checks import Interval, check, unknown
from mlplab.data.text import encode_labels
from mlplab.data.validation import check_two_classes
from mlplab.data.vectorize import TextVectorizer, check_texts
from mlplab.text.models import build_model

__all__ = ["TRAINING_DEFAULTS", "TextClassifier", "VECTORIZER_PRESETS", "classifier_metadata",
           "make_vectorizer"]

VECTORIZER_PRESETS: dict[str, dict[str, Any]] = {
    # jieba words + character 1–2-grams: the best of both for Chinese headlines
    "chinese": dict(analyzer="chinese", ngram_range=(1, 2), sublinear_tf=True, min_df=2),
    # character 1–2-grams only: no segmenter needed
    "chinese_chars": dict(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2),
    # lowercase word unigrams
    "english": dict(analyzer="word", tokenizer="english", sublinear_tf=True),
}
"""Feature settings by name (TF-IDF with sublinear tf in every preset)."""

# Per-model training defaults (found on THUCNews and 20 Newsgroups; see docs/text.md).
TRAINING_DEFAULTS = {
    "softmax": dict(lr=1e-2, epochs=3, batch_size=64),
    "mlp": dict(lr=3e-3, epochs=4, batch_size=512),
}

_META_KEY = "text_classifier"


def classifier_metadata(vectorizer: TextVectorizer, class_names: Sequence[str],
                        config: dict[str, Any]) -> dict[str, Any]:
    """The JSON a model file needs to predict from raw text: the fitted vectorizer, the
    class names and the ``TextClassifier`` settings (what ``TextClassifier.load`` reads)."""
    return {_META_KEY: {"vectorizer": vectorizer.to_dict(), "class_names": list(class_names),
                        "config": dict(config)}}


def make_vectorizer(spec: TextVectorizer | str | dict[str, Any] | None) -> TextVectorizer:
    """A TextVectorizer from an instance, a preset name, or constructor arguments."""
    if isinstance(spec, TextVectorizer):
        return spec
    if spec is None:
        spec = "english"
    if isinstance(spec, str):
        if spec not in VECTORIZER_PRESETS:
            raise unknown("TextClassifier", "vectorizer preset", spec, VECTORIZER_PRESETS)
        return TextVectorizer(**VECTORIZER_PRESETS[spec])
    if isinstance(spec, dict):
        return TextVectorizer(**spec)
    raise TypeError(f"vectorizer: expected a TextVectorizer, a preset name or a dict, "
                    f"received {type(spec).__name__}")


class TextClassifier:
    """A text classifier you fit on (texts, labels) and ask for classes of new texts.

    Args:
        model: 'softmax' (softmax regression, no hidden layer) or 'mlp' (one hidden layer
            of ``hidden`` ReLU units with dropout ``dropout``).
        vectorizer: a ``TextVectorizer``, a preset ('chinese', 'chinese_chars',
            'english') or a dict of its arguments. Default 'english'.
        lr: Adam's α; None takes the model's default (softmax 1e-2, mlp 3e-3).
        epochs: passes over the data; None: the model's default (softmax 3, mlp 4).
        batch_size: examples per step; None: the model's default (softmax 64, mlp 512).
        weight_decay: L2 penalty λ added by Adam (default 0).
        seed: one seed for the weights, shuffling and dropout (None: fresh entropy).
        verbose: the Trainer's progress output (0 silent, 2 one line per epoch).

    Attributes after ``fit``: ``class_names``, ``model`` (an ``ml.nn`` module),
    ``vectorizer``, ``history`` (the Trainer's History, absent after ``load``).
    """

    def __init__(self, model: str = "softmax", vectorizer: Any = None, hidden: int = 64,
                 dropout: float = 0.5, lr: float | None = None, epochs: int | None = None,
                 batch_size: int | None = None, weight_decay: float = 0.0,
                 seed: int | None = None, verbose: int = 0) -> None:
        build_model(model, 1, 2, hidden=hidden, dropout=dropout)  # validate the settings now
        defaults = TRAINING_DEFAULTS[model]
        self.model_kind = model
        self.vectorizer = make_vectorizer(vectorizer)
        self.hidden, self.dropout = int(hidden), float(dropout)
        self.lr = defaults["lr"] if lr is None else float(lr)
        self.epochs = defaults["epochs"] if epochs is None else epochs
        self.batch_size = defaults["batch_size"] if batch_size is None else batch_size
        self.weight_decay = float(weight_decay)
        self.seed, self.verbose = seed, verbose
        self.model: Any = None
        self.class_names: list[str] = []
        self.history: Any = None

    # ----- training -----------------------------------------------------------------------------
    def _encode(self, labels: Any, source: str) -> np.ndarray:
        labels = np.asarray(labels)
        if labels.ndim != 1:
            raise ValueError(f"{source}: expected one label per text (1-D), received shape "
                             f"{labels.shape}")
        return encode_labels([str(v) for v in labels.tolist()], self.class_names, source)

    def fit(self, texts: Sequence[str], labels: Any, class_names: Sequence[str] | None = None,
            validation_data: tuple[Sequence[str], Any] | None = None,
            callbacks: Sequence[Any] = ()) -> TextClassifier:
        """Fit the vectorizer on ``texts``, then train the model.

        ``labels`` are class names (strings) or class ids 0..K−1 (then ``class_names``
        names them; default: the ids as strings). ``validation_data=(texts, labels)``
        adds val_loss / val_accuracy to the history. ``callbacks`` go to the Trainer
        (``ml.train.callbacks``: ProgressBar, EarlyStopping, CSVLogger, …).
        """
        import mlplab.nn as nn
        import mlplab.optim as optim
        from mlplab.train import Trainer

        texts = check_texts(texts)
        labels = np.asarray(labels)
        if labels.ndim != 1 or len(labels) != len(texts):
            raise ValueError(f"labels: expected one label per text ({len(texts)}), received "
                             f"shape {labels.shape}")
        if class_names is None:
            if labels.dtype.kind in "iu":
                class_names = [str(i) for i in range(int(labels.max()) + 1)]
            else:
                class_names = sorted({str(v) for v in labels.tolist()})
        self.class_names = [str(c) for c in class_names]
        y = self._encode(labels, "labels")
        check_two_classes(y, self.class_names, owner="TextClassifier.fit")
        X = self.vectorizer.fit_transform(texts)
        self.model = build_model(self.model_kind, X.shape[1], len(self.class_names),
                                 hidden=self.hidden, dropout=self.dropout)
        optimizer = optim.Adam(self.model.parameters(), lr=self.lr,
                               weight_decay=self.weight_decay)
        trainer = Trainer(self.model, nn.CrossEntropyLoss(), optimizer, metrics=("accuracy",),
                          callbacks=callbacks, seed=self.seed, verbose=self.verbose)
        val = None
        if validation_data is not None:
            val = (self.transform(validation_data[0]),
                   self._encode(validation_data[1], "validation labels"))
        self.history = trainer.fit(X, y, epochs=self.epochs, batch_size=self.batch_size,
                                   validation_data=val)
        self.model.eval()
        return self

    # ----- prediction ----------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if self.model is None:
            raise RuntimeError("TextClassifier: not fitted; call fit(texts, labels) or "
                               "TextClassifier.load(path) first")

    def transform(self, texts: Sequence[str]) -> Any:
        """The feature rows (CSR float32) the model sees for ``texts``."""
        return self.vectorizer.transform(check_texts(texts))

    def decision_function(self, texts: Sequence[str], batch_size: int = 1024) -> np.ndarray:
        """Logits z = model(x), shape (n, K); an empty text raises an error."""
        from mlplab.autograd import Tensor, no_grad

        self._check_fitted()
        texts = check_texts(texts)
        for i, text in enumerate(texts):
            if not text.strip():
                raise ValueError(f"texts[{i}]: the text is empty; there is nothing to classify")
        X = self.transform(texts)
        self.model.eval()
        with no_grad():
            parts = [self.model(Tensor(X[i:i + batch_size])).data
                     for i in range(0, X.shape[0], batch_size)]
        return np.concatenate(parts) if parts else np.zeros((0, len(self.class_names)))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """a = softmax(z) per text, shape (n, K); rows sum to 1."""
        z = self.decision_function(texts).astype(np.float64)
        z -= z.max(axis=1, keepdims=True)  # e^{z − max z}: same softmax, no overflow
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Class ids argmax_i a_i, int64."""
        return self.decision_function(texts).argmax(axis=1).astype(np.int64)

    def predict_labels(self, texts: Sequence[str]) -> list[str]:
        """Class names of the predicted classes."""
        return [self.class_names[i] for i in self.predict(texts)]

    def top_k(self, texts: Sequence[str], k: int = 3) -> list[list[tuple[str, float]]]:
        """For each text, the k most probable ``(class name, probability)``, best first."""
        check("TextClassifier.top_k", "k", k, Interval(1, None, integer=True, example="3"))
        proba = self.predict_proba(texts)
        k = min(k, proba.shape[1])
        order = np.argsort(-proba, axis=1, kind="stable")[:, :k]
        return [[(self.class_names[j], float(row[j])) for j in idx]
                for row, idx in zip(proba, order, strict=True)]

    def evaluate(self, texts: Sequence[str], labels: Any) -> dict[str, float]:
        """Mean cross-entropy and accuracy on labelled texts (labels as names or ids).

        Labels the model never saw at training time raise an error that lists them.
        """
        y = self._encode(labels, "labels")
        proba = self.predict_proba(texts)
        picked = np.clip(proba[np.arange(len(y)), y], 1e-300, None)
        return {"loss": float(-np.log(picked).mean()),
                "accuracy": float((proba.argmax(axis=1) == y).mean())}

    # ----- model files ---------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {"model": self.model_kind, "hidden": self.hidden, "dropout": self.dropout,
                "lr": self.lr, "epochs": self.epochs, "batch_size": self.batch_size,
                "weight_decay": self.weight_decay, "seed": self.seed}

    def metadata(self) -> dict[str, Any]:
        """What a model file needs besides the weights to predict from raw text (JSON)."""
        self._check_fitted()
        return classifier_metadata(self.vectorizer, self.class_names, self.get_config())

    def save(self, path: str | Path) -> Path:
        """Write weights + vectorizer + class names to one safe file (``ml.save``)."""
        from mlplab.io import save

        return save(self.model, path, metadata=self.metadata())

    @classmethod
    def load(cls, path: str | Path) -> TextClassifier:
        """Read a file written by ``save``; it predicts from raw text at once."""
        from mlplab.io import ModelFileError, load
        from mlplab.io.vocabulary import check_text_model

        model, meta = load(path, with_metadata=True)
        if _META_KEY not in meta:
            raise ModelFileError(f"{path}: an mlplab model, but not a text classifier (no "
                                 "vectorizer inside); load it with ml.load")
        try:  # the vocabulary and settings come from the file: check them before use
            info, width = meta[_META_KEY], meta.get("input_width")
            names = check_text_model(info["vectorizer"], info["class_names"], model, width)
            vectorizer = TextVectorizer.from_dict(info["vectorizer"])
            if width is not None and vectorizer.n_features_out != width:
                raise ValueError(f"the vectorizer gives {vectorizer.n_features_out} columns, "
                                 f"the model takes {width}")
            config = dict(info["config"])
            clf = cls(config.pop("model"), vectorizer=vectorizer, **config)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise ModelFileError(" ".join(f"{path}: the text classifier's vectorizer or "
                                          f"settings are damaged ({err})".split())) from None
        clf.model, clf.class_names = model, names
        return clf

    def __repr__(self) -> str:
        state = f"{len(self.class_names)} classes" if self.model is not None else "not fitted"
        return f"TextClassifier(model={self.model_kind!r}, {self.vectorizer!r}, {state})"
