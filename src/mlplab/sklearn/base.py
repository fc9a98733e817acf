"""What ``MLPClassifier`` and ``MLPRegressor`` share: fitting, state and the fitted weights.

An estimator keeps its network in ``model_`` (an ``ml.nn.Sequential``); scikit-learn's
fitted attributes are read from it: ``coefs_[l]`` is the l-th ``Linear`` weight
transposed (shape (n_in, n_out), a view: writing into it changes the model) and
``intercepts_[l]`` its bias.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from mlplab.autograd.grad_mode import no_grad
from mlplab.sklearn.lbfgs import fit_lbfgs
from mlplab.sklearn.network import build_network, linear_layers
from mlplab.sklearn.objective import outputs
from mlplab.sklearn.parameters import SHARED_CONSTRAINTS, check_parameters
from mlplab.sklearn.stochastic import fit_stochastic

STOCHASTIC_SOLVERS = ("sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta")


def store_init_params(est: Any, values: dict[str, Any]) -> None:
    """Keep each constructor argument as an attribute of the same name (scikit-learn's rule:
    ``__init__`` stores, ``fit`` validates)."""
    for name, value in values.items():
        if name not in ("self", "__class__"):
            setattr(est, name, value)


def _stochastic(est: Any) -> bool:
    if est.solver not in STOCHASTIC_SOLVERS:
        raise AttributeError(f"partial_fit is only available for stochastic optimizers. "
                             f"{est.solver!r} is not stochastic.")
    return True


class BaseMLP(BaseEstimator):
    """Shared machinery; use ``MLPClassifier`` or ``MLPRegressor``."""

    _parameter_constraints: dict = dict(SHARED_CONSTRAINTS)

    # ----- fitted attributes, read from the model ------------------------------------------
    @property
    def coefs_(self) -> list[np.ndarray]:
        """W^[l]ᵀ for each layer, shape (n_in, n_out): views of the model's weights."""
        return [layer.weight.data.T for layer in linear_layers(self._fitted_model())]

    @property
    def intercepts_(self) -> list[np.ndarray]:
        """b^[l] for each layer (views of the model's biases)."""
        return [layer.bias.data for layer in linear_layers(self._fitted_model())]

    @property
    def n_layers_(self) -> int:
        """Layers counted as scikit-learn does: input + hidden + output."""
        return len(linear_layers(self._fitted_model())) + 1

    def _fitted_model(self) -> Any:
        try:
            return self.__dict__["model_"]
        except KeyError:
            raise AttributeError(f"This {type(self).__name__} instance is not fitted yet; "
                                 "call fit first") from None

    # ----- fitting --------------------------------------------------------------------------
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> BaseMLP:
        """Fit the model to (X, y); ``sample_weight`` weighs each example's loss."""
        check_parameters(self)
        return self._fit(X, y, sample_weight, incremental=False)

    @available_if(_stochastic)
    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None) -> BaseMLP:
        """One epoch over (X, y), continuing from the current weights and optimizer."""
        check_parameters(self)
        return self._fit(X, y, sample_weight, incremental=True)

    def _fit(self, X: Any, y: Any, sample_weight: Any, incremental: bool) -> BaseMLP:
        first_pass = "model_" not in self.__dict__ or (not self.warm_start and not incremental)
        X, Y, y = self._validate_input(X, y, incremental, reset=first_pass)
        w = self._sample_weight(sample_weight, X, y)
        self._random_state = check_random_state(self.random_state)
        if first_pass:
            self._initialize(X, Y)
        X = X.tocsr() if hasattr(X, "tocsr") else X  # batches are row slices
        X = X.astype(self.model_dtype_, copy=False)
        Y = self._targets(Y)
        w = None if w is None else w.astype(self.model_dtype_)
        if self.solver in STOCHASTIC_SOLVERS:
            fit_stochastic(self, X, Y, y, w, incremental)
        else:
            fit_lbfgs(self, X, Y, w)
        if not all(np.isfinite(p.data).all() for p in self.model_.parameters()):
            raise ValueError(f"{type(self).__name__}: training diverged (non-finite weights); "
                             "lower learning_rate_init or standardize the inputs and targets")
        return self

    def _sample_weight(self, sample_weight: Any, X: Any, y: Any) -> Any:
        if sample_weight is None:
            return None
        return _check_sample_weight(sample_weight, X, dtype=X.dtype, ensure_non_negative=True)

    def _initialize(self, X: Any, Y: np.ndarray) -> None:
        dtype = np.dtype(self.dtype) if self.dtype is not None else X.dtype
        self.model_dtype_ = dtype
        self.n_outputs_ = Y.shape[1]
        self.out_activation_ = self._out_activation(Y)
        sizes = self.hidden_layer_sizes
        sizes = list(sizes) if hasattr(sizes, "__iter__") else [sizes]
        units = [X.shape[1], *[int(s) for s in sizes], self.n_outputs_]
        self.model_ = build_network(self.get_params(), units, dtype, self._random_state)
        self.n_iter_ = 0
        self.t_ = 0
        if self.solver in STOCHASTIC_SOLVERS:
            self.loss_curve_ = []
            self._no_improvement_count = 0
            if self.early_stopping:
                self.validation_scores_ = []
                self.best_validation_score_ = -np.inf
                self.best_loss_ = None
                self._best_state = {k: np.copy(v) for k, v in self.model_.state_dict().items()}
            else:
                self.best_loss_ = np.inf
                self.validation_scores_ = None
                self.best_validation_score_ = None

    def _check_X(self, X: Any, reset: bool = False) -> Any:
        return validate_data(self, X, accept_sparse=["csr", "csc"], reset=reset,
                             dtype=(np.float64, np.float32))

    def _raw_output(self, X: Any) -> np.ndarray:
        """The network's output for X after the output activation (probabilities, values)."""
        check_is_fitted(self, "model_")
        X = self._check_X(X)
        if hasattr(X, "tocsr"):
            X = X.tocsr()
        X = X.astype(self.model_dtype_, copy=False)
        model = self.model_
        model.eval()
        with no_grad():
            z = np.array(model(X).data)
        return outputs(self.out_activation_, z)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
