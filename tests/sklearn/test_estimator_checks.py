"""scikit-learn's own estimator checks, run over both estimators.

The instances use ``max_iter=100``, the value scikit-learn's test-suite gives its own
``MLPClassifier``/``MLPRegressor`` for these checks; every other parameter keeps its
default. Checks expected to fail are listed with the reason (``EXPECTED_FAILURES``).
"""

from __future__ import annotations

import pytest

pytest.importorskip("sklearn")

from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from mlplab.sklearn import MLPClassifier, MLPRegressor  # noqa: E402

EXPECTED_FAILURES: dict[str, dict[str, str]] = {
    "MLPClassifier": {},
    "MLPRegressor": {},
}


def expected_failed_checks(estimator):
    return EXPECTED_FAILURES[type(estimator).__name__]


@parametrize_with_checks([MLPClassifier(max_iter=100), MLPRegressor(max_iter=100)],
                         expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
