"""``MLPRegressor``: scikit-learn's MLP regressor on mlplab's networks and optimizers."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import validate_data

from mlplab.sklearn.base import BaseMLP, store_init_params
from mlplab.sklearn.parameters import SHARED_CONSTRAINTS


class MLPRegressor(RegressorMixin, BaseMLP):
    """Multilayer perceptron regressor, a drop-in for ``sklearn.neural_network.MLPRegressor``.

    Minimizes ½ · mean (ŷ − y)² with an identity output (``loss='squared_error'``), or
    the Poisson deviance with ŷ = exp(z) (``loss='poisson'``, for counts), plus the L2
    penalty α/2 ‖W‖² / m. Several outputs (y of shape (n, k)) share the hidden layers.
    Parameters and fitted attributes are those of ``MLPClassifier`` (without
    ``class_weight`` and ``classes_``) plus ``loss``.

    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.preprocessing import StandardScaler
    >>> X, y = load_diabetes(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> reg = MLPRegressor(hidden_layer_sizes=(32,), solver="lbfgs", alpha=1.0, random_state=0)
    >>> reg.fit(X, y).score(X, y) > 0.5
    True
    """

    _parameter_constraints: dict = {**SHARED_CONSTRAINTS,
                                    "loss": [StrOptions({"squared_error", "poisson"})]}

    def __init__(self, loss: str = "squared_error", hidden_layer_sizes: Any = (100,),
                 activation: Any = "relu", *, solver: str = "adam", alpha: float = 0.0001,
                 batch_size: Any = "auto", learning_rate: Any = "constant",
                 learning_rate_init: float = 0.001, power_t: float = 0.5, max_iter: int = 200,
                 shuffle: bool = True, random_state: Any = None, tol: float = 1e-4,
                 verbose: bool = False, warm_start: bool = False, momentum: float = 0.9,
                 nesterovs_momentum: bool = True, early_stopping: bool = False,
                 validation_fraction: float = 0.1, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-8, n_iter_no_change: int = 10, max_fun: int = 15000,
                 initializer: str | None = None, l1: float = 0.0, dropout: float = 0.0,
                 normalization: str | None = None, dtype: str | None = None) -> None:
        store_init_params(self, locals())

    def _validate_input(self, X: Any, y: Any, incremental: bool,
                        reset: bool) -> tuple[Any, np.ndarray, Any]:
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], multi_output=True,
                             y_numeric=True, dtype=(np.float64, np.float32), reset=reset)
        if self.loss == "poisson" and np.any(y < 0):
            raise ValueError("MLPRegressor: loss='poisson' needs y >= 0 (counts, rates); "
                             "use loss='squared_error' for targets that can be negative")
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        self._stratify = False
        return X, Y.astype(X.dtype, copy=False), y

    def _out_activation(self, Y: np.ndarray) -> str:
        return "exp" if self.loss == "poisson" else "identity"

    def _targets(self, Y: np.ndarray) -> np.ndarray:
        return Y.astype(self.model_dtype_, copy=False)

    def predict(self, X: Any) -> np.ndarray:
        """ŷ for each row of X: shape (n_samples,) for one output, else (n_samples, k)."""
        y = self._raw_output(X)
        return y.ravel() if self.n_outputs_ == 1 else y

    def _score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        return self.score(X, y, sample_weight=sample_weight)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
