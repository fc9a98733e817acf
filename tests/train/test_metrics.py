"""Metrics against scikit-learn as the oracle, on random data, plus the registry and errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mlplab.train import metrics as M
from sklearn import metrics as skm

SEEDS = (0, 1, 2, 3)


def _softmax_scores(rng: np.random.Generator, n: int, c: int) -> np.ndarray:
    z = rng.normal(size=(n, c)) * 2
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _cases():
    """(y_true, y_score, y_pred) triples: multi-class probabilities, binary p(1), ids."""
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        n = int(rng.integers(20, 200))
        c = int(rng.integers(3, 8))
        y = rng.integers(0, c, n)
        P = _softmax_scores(rng, n, c)
        yield f"multiclass-proba-{seed}", y, P, P.argmax(axis=1)
        p1 = rng.random(n)
        yb = rng.integers(0, 2, n)
        yield f"binary-p1-{seed}", yb, p1, (p1 > 0.5).astype(int)
        yield f"binary-column-{seed}", yb, p1[:, None], (p1 > 0.5).astype(int)
        ids = rng.integers(0, c, n)
        yield f"ids-{seed}", y, ids, ids


CASES = list(_cases())
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize(("case", "y", "score", "pred"), CASES, ids=IDS)
def test_accuracy_and_confusion_match_sklearn(case, y, score, pred):
    assert M.accuracy(y, score) == pytest.approx(skm.accuracy_score(y, pred), abs=1e-12)
    k = max(y.max(), pred.max()) + 1
    np.testing.assert_array_equal(
        M.confusion_matrix(y, score, num_classes=k),
        skm.confusion_matrix(y, pred, labels=np.arange(k)),
    )


@pytest.mark.parametrize("average", ["macro", "micro", "weighted"])
@pytest.mark.parametrize(("case", "y", "score", "pred"), CASES, ids=IDS)
def test_precision_recall_f1_match_sklearn(case, y, score, pred, average):
    for ours, theirs in ((M.precision, skm.precision_score), (M.recall, skm.recall_score),
                         (M.f1, skm.f1_score)):
        expected = theirs(y, pred, average=average, zero_division=0)
        assert ours(y, score, average=average) == pytest.approx(expected, abs=1e-12), ours


@pytest.mark.parametrize(("case", "y", "score", "pred"), CASES, ids=IDS)
def test_per_class_and_binary_match_sklearn(case, y, score, pred):
    k = max(y.max(), pred.max()) + 1
    for ours, theirs in ((M.precision, skm.precision_score), (M.recall, skm.recall_score),
                         (M.f1, skm.f1_score)):
        expected = theirs(y, pred, average=None, labels=np.arange(k), zero_division=0)
        np.testing.assert_allclose(ours(y, score, average=None), expected, atol=1e-12)
        if k == 2:
            expected = theirs(y, pred, average="binary", zero_division=0)
            assert ours(y, score, average="binary") == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(("case", "y", "score", "pred"), CASES, ids=IDS)
def test_report_matches_sklearn_classification_report(case, y, score, pred):
    expected = skm.classification_report(y, pred, output_dict=True, zero_division=0)
    _assert_report_close(M.precision_recall_f1_report(y, score), expected)


def test_report_with_class_names_lists_every_class():
    rng = np.random.default_rng(7)
    y = rng.integers(0, 3, 60)  # class 3 never occurs and is never predicted
    pred = rng.integers(0, 3, 60)
    names = ["cat", "dog", "bird", "fish"]
    ours = M.precision_recall_f1_report(y, pred, class_names=names)
    expected = skm.classification_report(
        y, pred, labels=np.arange(4), target_names=names, output_dict=True, zero_division=0
    )
    _assert_report_close(ours, expected)
    assert ours["fish"]["support"] == 0
    text = M.format_report(ours, digits=3)
    for name in names + ["accuracy", "macro avg", "weighted avg"]:
        assert name in text
    assert f"{ours['macro avg']['f1-score']:.3f}" in text


def _assert_report_close(ours: dict, expected: dict) -> None:
    assert list(ours) == list(expected)
    for key, value in expected.items():
        if isinstance(value, dict):
            for field, v in value.items():
                assert ours[key][field] == pytest.approx(v, abs=1e-12), (key, field)
        else:
            assert ours[key] == pytest.approx(value, abs=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 2, 3])
def test_top_k_accuracy_matches_sklearn(seed, k):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 6, 150)
    P = _softmax_scores(rng, 150, 6)
    expected = skm.top_k_accuracy_score(y, P, k=k, labels=np.arange(6))
    assert M.top_k_accuracy(y, P, k=k) == pytest.approx(expected, abs=1e-12)
    if k == 1:
        assert M.top_k_accuracy(y, P, k=1) == pytest.approx(M.accuracy(y, P))


def test_top_k_ties_count_as_hits_and_large_k_warns():
    # sample 0: truth 0 ties with class 1 at the top → a top-1 hit; sample 1: truth is last
    P = np.array([[0.4, 0.4, 0.2], [0.5, 0.3, 0.2]])
    assert M.top_k_accuracy([0, 2], P, k=1) == 0.5
    assert M.top_k_accuracy([0, 2], P, k=2) == 0.5
    with pytest.warns(UserWarning, match="every sample is a hit"):
        assert M.top_k_accuracy([0, 2], P, k=3) == 1.0


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("outputs", [None, 1, 3])
def test_regression_metrics_match_sklearn(seed, outputs):
    rng = np.random.default_rng(seed)
    shape = (80,) if outputs is None else (80, outputs)
    y = rng.normal(size=shape) * 3 + 1
    pred = y + rng.normal(size=shape)
    assert M.mae(y, pred) == pytest.approx(skm.mean_absolute_error(y, pred), rel=1e-12)
    assert M.mse(y, pred) == pytest.approx(skm.mean_squared_error(y, pred), rel=1e-12)
    assert M.r2(y, pred) == pytest.approx(skm.r2_score(y, pred), rel=1e-12)
    # a column prediction for a flat target is the same single output
    if outputs is None:
        assert M.mse(y, pred[:, None]) == pytest.approx(skm.mean_squared_error(y, pred))


def test_r2_constant_target_follows_sklearn():
    y = np.full(5, 2.0)
    assert M.r2(y, y) == skm.r2_score(y, y) == 1.0
    assert M.r2(y, y + 1) == skm.r2_score(y, y + 1) == 0.0
    bad = np.array([1.0, 2.0, 3.0])
    assert M.r2(bad, bad[::-1]) == pytest.approx(skm.r2_score(bad, bad[::-1]))


def test_class_never_predicted_is_zero_without_warnings():
    y = np.array([0, 0, 1, 1, 2, 2])
    pred = np.array([0, 0, 1, 1, 1, 1])  # class 2 never predicted
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        per_class = M.precision(y, pred, average=None)
        assert M.f1(y, pred, average=None)[2] == 0.0
        report = M.precision_recall_f1_report(y, pred)
    assert per_class[2] == 0.0 and per_class[1] == 0.5
    assert report["2"]["precision"] == 0.0 and report["2"]["support"] == 2
    assert M.precision(y, pred, average=None, zero_division=1.0)[2] == 1.0


def test_one_hot_targets_tensors_and_hand_worked_example():
    y = np.eye(3)[[0, 1, 2, 2]]
    pred = np.array([0, 2, 2, 2])
    # class 2: TP=2, FP=1 → P=2/3; class 1: TP=0 → 0; class 0: 1 → macro (1 + 0 + 2/3) / 3
    assert M.precision(y, pred) == pytest.approx((1 + 0 + 2 / 3) / 3)
    assert M.accuracy(y, pred) == 0.75

    class FakeTensor:
        def __init__(self, a):
            self.a = a

        def numpy(self):
            return self.a

    assert M.accuracy(FakeTensor(np.array([0, 1])), FakeTensor(np.array([[0.9, 0.1]] * 2))) == 0.5
    assert M.accuracy([True, False], [1, 0]) == 1.0


@pytest.mark.parametrize(
    ("fn", "y", "score", "message"),
    [
        (M.accuracy, [0, 1, 1], [0, 1], "same number of samples, got 3 and 2"),
        (M.accuracy, [], [], "at least one sample"),
        (M.accuracy, [0.5, 1.0], [0, 1], "integer class ids"),
        (M.accuracy, [0, -1], [0, 1], "class ids >= 0"),
        (M.accuracy, [0, 1], [[0.2, 0.8], [np.nan, 0.5]], "NaN or inf"),
        (M.accuracy, [0, 5], [[0.2, 0.8], [0.3, 0.7]], "out of range for y_score with 2"),
        (M.accuracy, [0, 1], [-1.5, 2.5], "neither class ids nor probabilities"),
        (M.accuracy, [0, 1], np.zeros((2, 2, 2)), "got shape"),
        (M.accuracy, ["a", "b"], [0, 1], "expected numbers"),
        (M.precision, [0, 1, 2], [0, 1, 2], None),
        (M.top_k_accuracy, [0, 1], [0.2, 0.9], "per-class scores of shape"),
        (M.mse, np.zeros((3, 2)), np.zeros((3, 3)), "same shape"),
        (M.mae, [1.0, np.inf], [1.0, 2.0], "y_true: expected finite"),
        (M.r2, [1.0], [1.0], "at least two samples"),
        (M.accuracy, [250_000.0, 3e12], [0, 1], "use mae, mse or r2"),
        (M.confusion_matrix, [5000, 1], [0, 1], "5001 x 5001 matrix"),
    ],
)
def test_bad_input_gives_clear_errors(fn, y, score, message):
    if message is None:  # 'binary' on three classes
        with pytest.raises(ValueError, match="'binary' needs two classes"):
            fn(y, score, average="binary")
        return
    with pytest.raises((ValueError, TypeError), match=message):
        fn(y, score)


def test_argument_errors():
    with pytest.raises(ValueError, match="did you mean 'macro'"):
        M.f1([0, 1], [0, 1], average="marco")
    with pytest.raises(ValueError, match="top_k_accuracy: k must be an integer >= 1"):
        M.top_k_accuracy([0], [[0.1, 0.9]], k=0)
    with pytest.raises(ValueError, match="raise num_classes"):
        M.confusion_matrix([0, 3], [0, 1], num_classes=2)
    with pytest.raises(ValueError, match="one name per class"):
        M.precision_recall_f1_report([0, 2], [0, 1], class_names=["a", "b"])
    with pytest.raises(ValueError, match="distinct names"):
        M.precision_recall_f1_report([0, 1], [0, 1], class_names=["a", "a"])
    with pytest.raises(TypeError, match="precision_recall_f1_report"):
        M.format_report({"a": 1})


@pytest.mark.parametrize(
    ("name", "key", "higher"),
    [
        ("accuracy", "accuracy", True), ("acc", "accuracy", True), ("Accuracy", "accuracy", True),
        ("top5", "top_5_accuracy", True), ("top_5_accuracy", "top_5_accuracy", True),
        ("top-3", "top_3_accuracy", True), ("precision", "precision", True),
        ("recall", "recall", True), ("f1", "f1", True), ("mae", "mae", False),
        ("mse", "mse", False), ("mean_squared_error", "mse", False), ("r2", "r2", True),
    ],
)
def test_registry_names(name, key, higher):
    metric = M.get_metric(name)
    assert metric.name == key and metric.higher_is_better is higher
    assert M.get_metric(metric) is metric


def test_registry_metrics_compute_the_same_as_the_functions():
    rng = np.random.default_rng(11)
    y = rng.integers(0, 7, 100)
    P = _softmax_scores(rng, 100, 7)
    assert M.get_metric("acc")(y, P) == M.accuracy(y, P)
    assert M.get_metric("top3")(y, P) == pytest.approx(
        skm.top_k_accuracy_score(y, P, k=3, labels=np.arange(7)))
    assert M.get_metric("f1")(y, P) == pytest.approx(
        skm.f1_score(y, P.argmax(1), average="macro"))
    assert isinstance(M.get_metric("acc")(y, P), float)


def test_registry_accepts_callables_and_rejects_bad_input():
    def my_score(y_true, y_score):
        return 0.25

    metric = M.get_metric(my_score)
    assert metric.name == "my_score" and metric([0], [0]) == 0.25
    assert metric.higher_is_better is None
    assert M.get_metric(M.mae).name == "mae" and M.get_metric(M.mae).higher_is_better is False
    with pytest.raises(ValueError, match=r"did you mean 'accuracy'"):
        M.get_metric("acuracy")
    with pytest.raises(ValueError, match=r"did you mean 'precision'"):
        M.get_metric("presicion")
    with pytest.raises(ValueError, match="valid: acc, accuracy"):
        M.get_metric("zzzz")
    with pytest.raises(ValueError, match="Metric\\('my_metric', fn\\)"):
        M.get_metric(lambda y, s: 0.0)
    with pytest.raises(TypeError, match="expected a metric name"):
        M.get_metric(3)
    custom = M.Metric("half", lambda y, s: 0.5, higher_is_better=True)
    assert M.get_metric(custom) is custom
