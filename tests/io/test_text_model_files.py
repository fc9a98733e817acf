"""A text classifier's file: a damaged vocabulary or class list is refused at load."""

from __future__ import annotations

import pytest

from mlplab.data import TextVectorizer
from mlplab.io import ModelFileError
from mlplab.text import TextClassifier
from tests.io.hostile import split_model, write_model

TEXTS = ["good fun film", "great fun", "dull boring film", "boring waste"]
LABELS = ["pos", "pos", "neg", "neg"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("text")
    clf = TextClassifier("softmax", vectorizer=TextVectorizer(), epochs=2, batch_size=2, seed=0)
    clf.fit(TEXTS, LABELS)
    return split_model(clf.save(folder / "clf.safetensors").read_bytes())


def _vocabulary(meta):
    return meta["metadata"]["text_classifier"]["vectorizer"]["vocabulary"]


@pytest.mark.parametrize(("damage", "match"), [
    (lambda m: m["metadata"]["text_classifier"]["vectorizer"].update(vocabulary="fun"), "list"),
    (lambda m: _vocabulary(m).__setitem__(0, _vocabulary(m)[1]), "same name twice"),
    (lambda m: _vocabulary(m).append("extra"), "input columns"),
    (lambda m: _vocabulary(m).__setitem__(0, 7), "string"),
    (lambda m: m["metadata"]["text_classifier"].update(class_names=["a", "b", "c"]), "outputs"),
    (lambda m: m["metadata"]["text_classifier"].update(class_names="pn"), "list"),
    (lambda m: m["metadata"]["text_classifier"].update(config=[1]), "damaged"),
    (lambda m: m["metadata"]["text_classifier"]["config"].update(evil=1), "damaged"),
    (lambda m: m["metadata"]["text_classifier"].pop("vectorizer"), "damaged"),
    (lambda m: m["metadata"]["text_classifier"]["vectorizer"]["params"].update(
        kind="hashing", n_features=10**12), "damaged"),
], ids=["string", "duplicate", "length", "number", "classes", "class-string", "config",
        "config-key", "no-vectorizer", "hashing-width"])
def test_damaged_text_classifier_is_refused(tmp_path, saved, damage, match):
    import copy

    meta, arrays = copy.deepcopy(saved[0]), saved[1]
    damage(meta)
    path = write_model(tmp_path / "clf.safetensors", meta, arrays)
    with pytest.raises(ModelFileError, match=match) as info:
        TextClassifier.load(path)
    assert str(info.value).startswith(str(path)) and "\n" not in str(info.value)


def test_undamaged_text_classifier_loads(tmp_path, saved):
    path = write_model(tmp_path / "clf.safetensors", *saved)
    clf = TextClassifier.load(path)
    assert clf.class_names == ["neg", "pos"]
    assert clf.predict_labels(["fun film"]) in (["pos"], ["neg"])
