"""TextVectorizer and tokenizers, checked against scikit-learn configured independently."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfVectorizer

from mlplab.data import (
    TextVectorizer,
    char_ngrams,
    char_tokens,
    english_words,
    get_tokenizer,
    jieba_words,
    register_tokenizer,
)

DOCS = ["The cat sat on the mat.", "Dogs and cats: friends?", "A dog's day, the DOG days",
        "mat mat mat"]
ZH = ["股市 大涨 创新高", "球队 赢得 冠军", "股市 下跌", "新片 票房 冠军"]


def test_english_words_are_sklearn_default_tokens():
    sk = CountVectorizer().build_analyzer()
    for doc in DOCS:
        assert english_words(doc) == sk(doc)


def test_char_tokens_and_ngrams_by_hand():
    assert char_tokens("中 文\t分") == ["中", "文", "分"]
    # segments split at spaces: no n-gram spans "文 分"
    assert char_ngrams("中文 分类", (2, 2)) == ["中文", "分类"]
    assert char_ngrams("abc", (1, 3)) == ["a", "b", "c", "ab", "bc", "abc"]


def test_jieba_segments_known_sentence_deterministically():
    # the example sentence from jieba's README, cut in precise mode
    words = jieba_words("我来到北京清华大学")
    assert words == ["我", "来到", "北京", "清华大学"]
    assert jieba_words("我来到北京清华大学") == words


def test_unknown_names_suggest_the_closest():
    with pytest.raises(ValueError, match="did you mean 'jieba'"):
        get_tokenizer("jeiba")
    with pytest.raises(ValueError, match="did you mean 'char'"):
        TextVectorizer(analyzer="chr")
    with pytest.raises(ValueError, match="did you mean 'tfidf'"):
        TextVectorizer(kind="tf-idf")
    with pytest.raises(ValueError, match="ngram_range"):
        TextVectorizer(ngram_range=(2, 1))
    with pytest.raises(ValueError, match="only used with analyzer='word'"):
        TextVectorizer(analyzer="char", tokenizer="jieba")


@pytest.mark.parametrize("kw", [
    dict(sublinear_tf=True),
    dict(ngram_range=(1, 2), min_df=1, max_features=12),
    dict(analyzer="char", ngram_range=(1, 3), norm=None),
    dict(analyzer="char_wb", ngram_range=(2, 2), binary=True),
])
def test_tfidf_equals_sklearn(kw):
    ours = TextVectorizer(**kw).fit_transform(DOCS)
    theirs = TfidfVectorizer(**kw).fit_transform(DOCS)
    assert sp.isspmatrix_csr(ours) and ours.dtype == np.float32
    np.testing.assert_allclose(ours.toarray(), theirs.toarray(), rtol=1e-6, atol=1e-7)


def test_count_and_hashing_equal_sklearn():
    ours = TextVectorizer(kind="count", ngram_range=(1, 2)).fit_transform(DOCS)
    np.testing.assert_array_equal(ours.toarray(),
                                  CountVectorizer(ngram_range=(1, 2)).fit_transform(DOCS).toarray())
    ours = TextVectorizer(kind="hashing", n_features=64).fit_transform(DOCS)
    theirs = HashingVectorizer(n_features=64, alternate_sign=False).transform(DOCS)
    np.testing.assert_allclose(ours.toarray(), theirs.toarray(), rtol=1e-6)


def test_jieba_word_features_equal_sklearn_with_jieba_tokens():
    ours = TextVectorizer(tokenizer="jieba", sublinear_tf=True).fit_transform(ZH)
    import jieba

    theirs = TfidfVectorizer(analyzer=lambda t: [w for w in jieba.lcut(t) if w.strip()],
                             sublinear_tf=True).fit_transform(ZH)
    np.testing.assert_allclose(ours.toarray(), theirs.toarray(), rtol=1e-6)


def test_chinese_analyzer_has_words_and_char_ngrams():
    v = TextVectorizer(analyzer="chinese", ngram_range=(1, 2)).fit(ZH)
    vocab = set(v.vocabulary)
    assert {"w:股市", "w:冠军", "股", "股市", "大涨"} <= vocab
    assert "市大" not in vocab  # "股市 大涨": no character n-gram across the space
    assert not any(" " in term for term in vocab)


@pytest.mark.parametrize("kw", [
    dict(sublinear_tf=True, ngram_range=(1, 2)),
    dict(analyzer="chinese", ngram_range=(1, 2), min_df=1),
    dict(kind="count", analyzer="char"),
    dict(kind="hashing", analyzer="char", n_features=2 ** 10),
])
def test_to_dict_round_trips_through_json_without_refitting(kw):
    docs = DOCS + ZH
    v = TextVectorizer(**kw)
    X = v.fit_transform(docs)
    state = v.to_dict()
    if "idf" in state:
        state["idf"] = state["idf"].tolist()
    restored = TextVectorizer.from_dict(json.loads(json.dumps(state, ensure_ascii=False)))
    new = ["the cat and a zebra", "股市 冠军 外星人", "totally unseen words"]
    assert (restored.transform(docs) != X).nnz == 0
    assert (restored.transform(new) != v.transform(new)).nnz == 0
    assert restored.vocabulary == v.vocabulary


def test_unseen_words_are_ignored():
    v = TextVectorizer().fit(DOCS)
    X = v.transform(["zebra quokka", "cat zebra"])
    assert X.shape == (2, len(v.vocabulary))
    assert X[0].nnz == 0
    assert X[1].nnz == 1 and X[1, v.vocabulary.index("cat")] == pytest.approx(1.0)


def test_bad_inputs():
    v = TextVectorizer()
    with pytest.raises(RuntimeError, match="call fit"):
        v.transform(["x"])
    with pytest.raises(TypeError, match="one string; wrap it"):
        v.fit("the cat sat")
    with pytest.raises(TypeError, match=r"texts\[1\]: expected a string"):
        v.fit(["ok", 3])
    with pytest.raises(ValueError, match="no terms left"):
        TextVectorizer(min_df=5).fit(["a b", "c d"])
    with pytest.raises(ValueError, match="not a TextVectorizer.to_dict"):
        TextVectorizer.from_dict({"params": {}})


def test_registered_tokenizer_is_saved_by_name():
    register_tokenizer("test_pipes", lambda text: text.split("|"))
    v = TextVectorizer(tokenizer="test_pipes").fit(["a|b", "b|c"])
    assert v.vocabulary == ["a", "b", "c"]
    assert TextVectorizer.from_dict(v.to_dict()).vocabulary == ["a", "b", "c"]


def test_a_huge_ngram_range_is_refused_before_any_text_is_scanned():
    # A model file claiming ngram_range=(1, 10**9) would otherwise hang at prediction.
    from mlplab.checks import ParameterError
    from mlplab.data.vectorize import TextVectorizer

    with pytest.raises(ParameterError, match=r"max_n <= 20, got \(1, 1000000000\)"):
        TextVectorizer(analyzer="char", ngram_range=(1, 10**9))
    with pytest.raises(ValueError, match="not a TextVectorizer"):
        TextVectorizer.from_dict({"params": {"analyzer": "char", "ngram_range": [1, 10**9]},
                                  "fitted": False})
