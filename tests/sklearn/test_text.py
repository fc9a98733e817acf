"""``TfidfMLPClassifier`` on real news posts, inside scikit-learn's model selection."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import cross_val_score  # noqa: E402

from mlplab.data import load_text  # noqa: E402
from mlplab.sklearn import TfidfMLPClassifier  # noqa: E402

TOPICS = ("rec.sport.hockey", "sci.space", "talk.politics.guns")


@pytest.fixture(scope="module")
def posts(datasets_dir):
    folder = datasets_dir / "20newsgroups_bydate"
    out = []
    for split, per_topic in (("train", 120), ("test", 100)):
        texts, labels, names = load_text(folder / f"{split}.jsonl.gz")
        names = np.asarray(names)[labels]
        keep = np.concatenate([np.flatnonzero(names == t)[:per_topic] for t in TOPICS])
        out.append(([texts[i] for i in keep], names[keep]))
    return out


def test_learns_topics_from_raw_text_and_cross_validates(posts):
    (texts, labels), (test_texts, test_labels) = posts
    model = TfidfMLPClassifier(max_features=5000, random_state=0)
    assert model.fit(texts, labels).score(test_texts, test_labels) > 0.85  # chance: 1/3
    assert sorted(model.classes_) == sorted(TOPICS)
    proba = model.predict_proba(test_texts[:5])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    scores = cross_val_score(clone(model).set_params(max_iter=30), texts, labels, cv=3)
    assert scores.min() > 0.7


def test_a_single_string_is_refused_with_the_fix(posts):
    (texts, labels), _ = posts
    model = TfidfMLPClassifier(max_iter=5, random_state=0).fit(texts, labels)
    with pytest.raises(TypeError, match="wrap it"):
        model.predict("one post")
