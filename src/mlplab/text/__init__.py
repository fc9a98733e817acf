"""``mlplab.text``: text classification — softmax regression and an MLP on sparse TF-IDF.

>>> from mlplab.text import TextClassifier      # raw texts in, classes out
>>> from mlplab.data import load_text, TextVectorizer

See docs/text.md for the walk-through (THUCNews headlines, 20 Newsgroups).
"""

from mlplab.text.classifier import VECTORIZER_PRESETS, TextClassifier, make_vectorizer
from mlplab.text.models import build_model, softmax_regression, text_mlp

__all__ = ["TextClassifier", "VECTORIZER_PRESETS", "build_model", "make_vectorizer",
           "softmax_regression", "text_mlp"]
