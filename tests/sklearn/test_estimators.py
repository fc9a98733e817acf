"""The estimators as scikit-learn users meet them: defaults, pipelines, search, files."""

from __future__ import annotations

import csv
import pickle
import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from scipy import sparse  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402

import mlplab as ml  # noqa: E402
from mlplab.sklearn import (  # noqa: E402
    EstimatorParameterError,
    MLPClassifier,
    MLPRegressor,
    load,
    save,
)
from sklearn import neural_network  # noqa: E402

NUMERIC = [0, 2, 4, 10, 11, 12]  # age, fnlwgt, education-num, capital gain/loss, hours
CATEGORICAL = [1, 3, 5, 6, 7, 8, 9, 13]


def _adult(path, rows):
    """The first ``rows`` rows of a raw UCI Adult file: object matrix X, labels y."""
    with open(path, newline="") as f:
        lines = [r for r in csv.reader(f, skipinitialspace=True) if len(r) == 15]
    lines = lines[:rows]
    X = np.array([r[:14] for r in lines], dtype=object)
    X[:, NUMERIC] = X[:, NUMERIC].astype(float)
    y = np.array([r[14].rstrip(".") for r in lines])
    return X, y


def _pipeline(estimator):
    columns = ColumnTransformer([("num", StandardScaler(), NUMERIC),
                                 ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL)])
    return make_pipeline(columns, estimator)


@pytest.fixture(scope="module")
def adult(datasets_dir):
    folder = datasets_dir / "uci_adult"
    return _adult(folder / "adult.data", 6000), _adult(folder / "adult.test", 4000)


@pytest.mark.parametrize("ours, theirs", [(MLPClassifier, neural_network.MLPClassifier),
                                          (MLPRegressor, neural_network.MLPRegressor)])
def test_every_sklearn_parameter_exists_with_the_same_default(ours, theirs):
    expected = theirs().get_params()
    got = ours().get_params()
    assert set(expected) <= set(got)
    assert {k: got[k] for k in expected} == expected


def test_adult_pipeline_accuracy_matches_sklearn(adult):
    (X, y), (X_test, y_test) = adult
    scores = {}
    for name, cls in (("mlplab", MLPClassifier), ("sklearn", neural_network.MLPClassifier)):
        model = _pipeline(cls(hidden_layer_sizes=(32,), max_iter=15, random_state=0))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)
        scores[name] = model.score(X_test, y_test)
    assert scores["mlplab"] > 0.8  # the majority class alone gives 0.76
    # the same network as scikit-learn's (same seed, same draws): at most a prediction
    # or two may flip on float rounding of the sparse one-hot products
    assert abs(scores["mlplab"] - scores["sklearn"]) <= 2 / len(y_test), scores


def test_grid_search_and_cross_validation_on_adult(adult):
    (X, y), _ = adult
    X, y = X[:1500], y[:1500]
    model = _pipeline(MLPClassifier(hidden_layer_sizes=(16,), solver="lbfgs", max_iter=30,
                                    random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        scores = cross_val_score(model, X, y, cv=3)
        search = GridSearchCV(model, {"mlpclassifier__alpha": [1e-4, 10.0]}, cv=3).fit(X, y)
    assert scores.shape == (3,) and scores.min() > 0.7
    assert search.best_params_["mlpclassifier__alpha"] in (1e-4, 10.0)
    assert search.best_estimator_.score(X, y) > 0.75


def test_save_load_and_pickle_give_identical_predictions(tmp_path):
    X, y = load_iris(return_X_y=True)
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = MLPClassifier((8,), max_iter=30, random_state=0, dtype="float32").fit(X, labels)
    path = save(clf, tmp_path / "iris.safetensors")
    again = load(path)
    np.testing.assert_array_equal(again.predict_proba(X), clf.predict_proba(X))
    assert list(again.predict(X)) == list(clf.predict(X))
    assert again.loss_curve_ == clf.loss_curve_ and again.n_iter_ == clf.n_iter_
    assert isinstance(ml.load(path), ml.nn.Sequential)  # the bare network, for ml.* tools
    unpickled = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(unpickled.predict_proba(X), clf.predict_proba(X))


def test_coefs_are_views_of_the_model_weights():
    X, y = load_iris(return_X_y=True)
    clf = MLPClassifier((5,), max_iter=5, random_state=0).fit(X, y)
    assert [c.shape for c in clf.coefs_] == [(4, 5), (5, 3)]
    clf.coefs_[0][:] = 0.0
    np.testing.assert_array_equal(clf.model_[0].weight.data, 0.0)


def test_partial_fit_needs_classes_then_continues():
    X, y = load_iris(return_X_y=True)
    clf = MLPClassifier((8,), random_state=0)
    with pytest.raises(ValueError, match="classes"):
        clf.partial_fit(X, y)
    for _ in range(3):
        clf.partial_fit(X, y, classes=[0, 1, 2])
    assert len(clf.loss_curve_) == 3 and clf.loss_curve_[-1] < clf.loss_curve_[0]
    with pytest.raises(AttributeError, match="partial_fit"):
        getattr(MLPClassifier(solver="lbfgs"), "partial_fit")  # noqa: B009


def test_sparse_input_trains_like_dense():
    X, y = load_iris(return_X_y=True)
    dense = MLPClassifier((8,), max_iter=5, random_state=0).fit(X, y)
    sparse_fit = MLPClassifier((8,), max_iter=5, random_state=0).fit(sparse.csr_matrix(X), y)
    np.testing.assert_allclose(sparse_fit.predict_proba(X), dense.predict_proba(X), atol=1e-10)


def test_sample_weight_equals_repeating_examples_with_lbfgs():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = X @ [1.0, -2.0, 0.5]
    counts = rng.integers(1, 3, size=40)
    kwargs = dict(hidden_layer_sizes=(4,), solver="lbfgs", random_state=0, max_iter=30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weighted = MLPRegressor(**kwargs).fit(X, y, sample_weight=counts)
        repeated = MLPRegressor(**kwargs).fit(np.repeat(X, counts, 0), np.repeat(y, counts))
    np.testing.assert_allclose(weighted.predict(X), repeated.predict(X), rtol=1e-6)


def test_library_extras_train():
    X, y = load_iris(return_X_y=True)
    clf = MLPClassifier((16, 8), activation=["tanh", "elu"], solver="rmsprop",
                        normalization="batch", dropout=0.1, l1=1e-4, initializer="he_normal",
                        learning_rate=ml.optim.CosineDecay(0.01, 500), max_iter=60,
                        random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(StandardScaler().fit_transform(X), y)
    assert clf.score(StandardScaler().fit_transform(X), y) > 0.9
    assert clf.n_layers_ == 4 and clf.out_activation_ == "softmax"


def test_bad_parameters_give_one_line_naming_the_fix():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(EstimatorParameterError) as err:
        MLPClassifier(alpha=-1).fit(X, y)
    assert str(err.value) == ("MLPClassifier: alpha must be a float in the range [0.0, inf),"
                              " got -1; e.g. alpha=0.0001")
    with pytest.raises(ValueError, match="one per layer"):
        MLPRegressor(hidden_layer_sizes=(4, 4), activation=["relu"]).fit(X, y)


def test_stopping_rule_stops_before_max_iter_without_warning():
    X, y = load_iris(return_X_y=True)
    clf = MLPClassifier((8,), solver="lbfgs", random_state=0)
    stochastic = MLPClassifier((8,), learning_rate_init=0.05, tol=1e-2, n_iter_no_change=3,
                               random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        stochastic.fit(X, y)
        clf.fit(X, y)
    assert stochastic.n_iter_ < 200 and len(stochastic.loss_curve_) == stochastic.n_iter_


def test_warm_start_continues_the_loss_curve_and_refit_restarts_it():
    X, y = load_iris(return_X_y=True)
    clf = MLPClassifier((8,), max_iter=5, warm_start=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
        first = list(clf.loss_curve_)
        clf.fit(X, y)
        assert clf.loss_curve_[:5] == first and len(clf.loss_curve_) == 10
        clf.set_params(warm_start=False).fit(X, y)
    assert clf.loss_curve_ == first  # a cold fit with the same seed repeats itself


@pytest.mark.parametrize("learning_rate", ["invscaling", "adaptive"])
def test_sgd_learning_rate_schedules_follow_sklearn(learning_rate):
    X, y = load_iris(return_X_y=True)
    clf = MLPClassifier((8,), solver="sgd", learning_rate=learning_rate, learning_rate_init=0.1,
                        n_iter_no_change=2, tol=0.5, max_iter=40, random_state=0).fit(X, y)
    lr = clf._optimizer.param_groups[0]["lr"]
    if learning_rate == "invscaling":  # α = α₀ / (t + 1)^power_t, t = examples seen
        assert lr == pytest.approx(0.1 / (clf.t_ + 1) ** 0.5)
    else:  # divided by 5 at each plateau until below 1e-6, then stop
        assert lr <= 1e-6 and clf.n_iter_ < 40


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_poisson_regression_predicts_positive_rates():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2))
    y = rng.poisson(np.exp(0.5 * X[:, 0] + 0.2))
    reg = MLPRegressor(loss="poisson", hidden_layer_sizes=(8,), solver="lbfgs",
                       random_state=0).fit(X, y)
    assert reg.out_activation_ == "exp" and (reg.predict(X) > 0).all()
    assert reg.predict(np.array([[2.0, 0.0]]))[0] > reg.predict(np.array([[-2.0, 0.0]]))[0]
    with pytest.raises(ValueError, match="y >= 0"):
        MLPRegressor(loss="poisson").fit(X, -1.0 - y)
