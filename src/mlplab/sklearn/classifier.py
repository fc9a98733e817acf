"""``MLPClassifier``: scikit-learn's MLP classifier on mlplab's networks and optimizers."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import _check_partial_fit_first_call, type_of_target, unique_labels
from sklearn.utils.validation import column_or_1d, validate_data

from mlplab.sklearn.base import BaseMLP, _stochastic, store_init_params
from mlplab.sklearn.parameters import SHARED_CONSTRAINTS


class MLPClassifier(ClassifierMixin, BaseMLP):
    """Multilayer perceptron classifier, a drop-in for ``sklearn.neural_network.MLPClassifier``.

    Minimizes the cross-entropy (log-loss) of softmax outputs (several classes) or of
    one logistic output per label (two classes, multi-label), plus the L2 penalty
    α/2 ‖W‖² / m (see ``mlplab.sklearn.objective``). Every parameter of scikit-learn's
    estimator has the same name, meaning and default; the stopping rule (``tol``,
    ``n_iter_no_change``, ``ConvergenceWarning``) is the same.

    Parameters beyond scikit-learn's (the library's choices):

    * ``activation`` also takes mlplab's names ('leaky_relu', 'elu', 'prelu', 'rrelu')
      or a list with one name per hidden layer;
    * ``solver`` also takes 'adamw', 'rmsprop', 'adagrad', 'adadelta' (``ml.optim``);
    * ``learning_rate`` also takes an ``ml.optim.schedules`` schedule (step → α), used
      by every stochastic solver;
    * ``initializer``: None (scikit-learn's Glorot-uniform), 'he_normal', 'he_uniform',
      'glorot_uniform', 'glorot_normal', 'lecun_normal', 'orthogonal', 'pytorch';
    * ``l1``: λ₁ of an L1 penalty λ₁‖W‖₁ / m (with ``alpha``: an elastic net);
    * ``dropout``: drop probability after each hidden activation;
    * ``normalization``: None, 'batch' (``BatchNorm1d``) or 'layer' (``LayerNorm``)
      between each hidden ``Linear`` and its activation;
    * ``dtype``: None (float32 for float32 input, else float64, as scikit-learn),
      'float32' or 'float64';
    * ``class_weight``: None, 'balanced' or {class: weight}, multiplying
      ``sample_weight`` (single-output targets).

    Fitted attributes: ``classes_``, ``model_`` (the ``ml.nn.Sequential``), ``coefs_``,
    ``intercepts_``, ``loss_``, ``loss_curve_``, ``best_loss_``, ``validation_scores_``,
    ``best_validation_score_``, ``n_iter_``, ``t_``, ``n_layers_``, ``n_outputs_``,
    ``out_activation_``, ``n_features_in_``, ``feature_names_in_``.

    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPClassifier(hidden_layer_sizes=(16,), solver="lbfgs", random_state=0)
    >>> clf.fit(X, y).score(X, y) > 0.95
    True
    """

    _parameter_constraints: dict = {**SHARED_CONSTRAINTS,
                                    "class_weight": [None, dict, StrOptions({"balanced"})]}

    def __init__(self, hidden_layer_sizes: Any = (100,), activation: Any = "relu", *,
                 solver: str = "adam", alpha: float = 0.0001, batch_size: Any = "auto",
                 learning_rate: Any = "constant", learning_rate_init: float = 0.001,
                 power_t: float = 0.5, max_iter: int = 200, shuffle: bool = True,
                 random_state: Any = None, tol: float = 1e-4, verbose: bool = False,
                 warm_start: bool = False, momentum: float = 0.9,
                 nesterovs_momentum: bool = True, early_stopping: bool = False,
                 validation_fraction: float = 0.1, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-8, n_iter_no_change: int = 10, max_fun: int = 15000,
                 initializer: str | None = None, l1: float = 0.0, dropout: float = 0.0,
                 normalization: str | None = None, dtype: str | None = None,
                 class_weight: Any = None) -> None:
        store_init_params(self, locals())

    # ----- targets ------------------------------------------------------------------------
    def _validate_input(self, X: Any, y: Any, incremental: bool,
                        reset: bool) -> tuple[Any, np.ndarray, Any]:
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], multi_output=True,
                             dtype=(np.float64, np.float32), reset=reset)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if "classes_" not in self.__dict__ or (not self.warm_start and not incremental):
            self._label_binarizer = LabelBinarizer().fit(y)
            self.classes_ = self._label_binarizer.classes_
        else:
            classes = unique_labels(y)
            if self.warm_start and set(classes) != set(self.classes_):
                raise ValueError(
                    f"MLPClassifier: warm_start can only be used where `y` has the same "
                    f"classes as in the previous call to fit. Previously got "
                    f"{self.classes_}, `y` has {classes}")
            if not self.warm_start and len(np.setdiff1d(classes, self.classes_)):
                raise ValueError(f"MLPClassifier: `y` has classes not in `self.classes_`. "
                                 f"`self.classes_` has {self.classes_}. 'y' has {classes}.")
        Y = self._label_binarizer.transform(y).astype(X.dtype)
        self._stratify = Y.shape[1] == 1  # as scikit-learn: binary targets only
        return X, Y, y

    def _sample_weight(self, sample_weight: Any, X: Any, y: Any) -> Any:
        w = super()._sample_weight(sample_weight, X, y)
        if self.class_weight is None:
            return w
        if np.ndim(y) != 1:
            raise ValueError("MLPClassifier: class_weight needs a single-output target y "
                             "(one label per example); use sample_weight for multi-label y")
        cw = compute_sample_weight(self.class_weight, y).astype(X.dtype)
        return cw if w is None else w * cw

    def _out_activation(self, Y: np.ndarray) -> str:
        return "softmax" if self._label_binarizer.y_type_ == "multiclass" else "logistic"

    def _targets(self, Y: np.ndarray) -> np.ndarray:
        """Class indices for softmax (the fused cross-entropy), 0/1 columns otherwise."""
        if self.out_activation_ == "softmax":
            return Y.argmax(axis=1)
        return Y.astype(self.model_dtype_, copy=False)

    # ----- scikit-learn's API ---------------------------------------------------------------
    @available_if(_stochastic)
    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None,
                    classes: Any = None) -> MLPClassifier:
        """One epoch over (X, y); ``classes`` (all classes) is required on the first call."""
        if _check_partial_fit_first_call(self, classes):
            self._label_binarizer = LabelBinarizer()
            if type_of_target(y).startswith("multilabel"):
                self._label_binarizer.fit(y)
            else:
                self._label_binarizer.fit(classes)
        return super().partial_fit(X, y, sample_weight)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes), in the order of ``classes_``."""
        p = self._raw_output(X)
        if self.n_outputs_ == 1 and self._label_binarizer.y_type_ != "multilabel-indicator":
            p = p.ravel()
            return np.column_stack([1 - p, p])
        return p

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """log of ``predict_proba``."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class (multi-label: every label with p > 0.5)."""
        p = self._raw_output(X)
        if self.n_outputs_ == 1:
            p = p.ravel()
        return self._label_binarizer.inverse_transform(p)

    def _score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        return self.score(X, y, sample_weight=sample_weight)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags
