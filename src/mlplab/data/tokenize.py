"""Tokenizers and analyzers: how a text becomes the list of terms that are counted.

A *tokenizer* cuts a text into tokens (words or characters); scikit-learn's
vectorizers then form n-grams of consecutive tokens. An *analyzer* returns the
final terms itself (n-grams included). Both are looked up by name, so a saved
model stores only the name and rebuilds the same function on load (no pickle):

=================  ==========================================================
tokenizer          tokens
=================  ==========================================================
``'english'``      lowercase words of 2+ letters/digits ("Don't" → "don"):
                   the same tokens as scikit-learn's default ``token_pattern``
``'jieba'``        Chinese words cut by jieba (dictionary + HMM; deterministic,
                   no randomness); whitespace dropped, Latin words lowercased
``'char'``         single characters, whitespace dropped (with ``ngram_range``
                   these give character n-grams that never span a space)
=================  ==========================================================

=================  ==========================================================
analyzer           terms
=================  ==========================================================
``'chinese'``      jieba words (prefixed ``w:``) plus character n-grams for n in
                   ``ngram_range``: words carry meaning, character n-grams catch
                   what the segmenter splits badly (names, new words)
=================  ==========================================================

``register_tokenizer(name, fn)`` adds your own; a model that used it can be loaded
wherever the same name is registered again.

>>> english_words("Hello, World! It's 2024")
['hello', 'world', 'it', '2024']
>>> char_tokens("中文 分类")
['中', '文', '分', '类']
>>> char_ngrams("新闻标题", (1, 2))
['新', '闻', '标', '题', '新闻', '闻标', '标题']
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from mlplab.checks import unknown

Tokenizer = Callable[[str], list[str]]

_WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern


def english_words(text: str) -> list[str]:
    """Lowercase word tokens of two or more letters/digits (scikit-learn's default rule)."""
    return _WORD.findall(text.lower())


def char_tokens(text: str) -> list[str]:
    """The characters of ``text`` without whitespace (one token per character)."""
    return [ch for ch in text if not ch.isspace()]


def char_ngrams(text: str, ngram_range: tuple[int, int] = (1, 2)) -> list[str]:
    """Character n-grams for n in [min_n, max_n]; whitespace is dropped first per run.

    A run of non-space characters is one segment, so n-grams never span a space
    (for Chinese headlines that have an occasional space between phrases).
    """
    lo, hi = ngram_range
    grams: list[str] = []
    segments = text.split()
    for n in range(lo, hi + 1):
        for seg in segments:
            grams.extend(seg[i:i + n] for i in range(len(seg) - n + 1))
    return grams


_jieba = None


def _jieba_cut() -> Callable[[str], list[str]]:
    """jieba's ``lcut``, imported on first use, with its start-up chatter silenced."""
    global _jieba
    if _jieba is None:
        try:
            import jieba
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ImportError("tokenizer='jieba' needs jieba: pip install 'mlplab[text]' "
                              "(or use tokenizer='char', which needs nothing)") from err
        jieba.setLogLevel(logging.WARNING)  # it logs "Building prefix dict…" on stderr
        _jieba = jieba
    return _jieba.lcut


def jieba_words(text: str) -> list[str]:
    """Chinese word segmentation with jieba (HMM on); whitespace tokens dropped.

    jieba is deterministic: the same text always gives the same words.
    """
    return [w.lower() for w in _jieba_cut()(text) if not w.isspace()]


def chinese_terms(text: str, ngram_range: tuple[int, int] = (1, 2)) -> list[str]:
    """jieba words (as ``'w:' + word``) followed by character n-grams of ``text``."""
    return ["w:" + w for w in jieba_words(text)] + char_ngrams(text.lower(), ngram_range)


TOKENIZERS: dict[str, Tokenizer] = {
    "english": english_words,
    "jieba": jieba_words,
    "char": char_tokens,
}
"""Tokenizers by name (extend with ``register_tokenizer``)."""

ANALYZERS: dict[str, Callable[..., list[str]]] = {
    "chinese": chinese_terms,
}
"""Named analyzers ``f(text, ngram_range) -> terms`` beyond scikit-learn's own."""

SKLEARN_ANALYZERS = ("word", "char", "char_wb")


def register_tokenizer(name: str, tokenizer: Tokenizer) -> Tokenizer:
    """Make ``tokenizer`` (``str -> list[str]``) usable as ``TextVectorizer(tokenizer=name)``.

    The name, not the function, is saved with a model: register the same name
    before ``load`` to use that model.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"name: expected a non-empty string, received {name!r}")
    if not callable(tokenizer):
        raise TypeError(f"tokenizer: expected a callable str -> list[str], received "
                        f"{type(tokenizer).__name__}")
    TOKENIZERS[name] = tokenizer
    return tokenizer


def get_tokenizer(name: str) -> Tokenizer:
    """The tokenizer registered as ``name`` (closest valid name suggested on a typo)."""
    if name not in TOKENIZERS:
        raise unknown("get_tokenizer", "tokenizer", name, TOKENIZERS)
    return TOKENIZERS[name]


def check_analyzer(name: str) -> str:
    """Return ``name`` if it is a scikit-learn or a named analyzer, else raise."""
    valid = [*SKLEARN_ANALYZERS, *sorted(ANALYZERS)]
    if name not in valid:
        raise unknown("TextVectorizer", "analyzer", name, valid)
    return name
