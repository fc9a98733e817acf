"""``solver='lbfgs'``: full-batch L-BFGS-B from SciPy on mlplab's gradients.

The parameters θ (every weight and bias, flattened into one float64 vector) are
handed to ``scipy.optimize.minimize``; each call of the objective writes θ into
the model, runs the forward pass on all m examples and returns (J(θ), ∇J(θ)) with
the gradient from autograd. As in scikit-learn, ``max_iter`` bounds the L-BFGS
iterations, ``max_fun`` the evaluations of J, and ``tol`` is the gradient tolerance
``gtol``. Good for small data sets, where it often converges faster and better.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from mlplab.sklearn.network import linear_layers
from mlplab.sklearn.objective import add_penalty_gradients, data_loss


def _pack(arrays: list[Any]) -> np.ndarray:
    """One float64 vector θ from the arrays, in order."""
    return np.concatenate([np.ravel(a) for a in arrays]).astype(np.float64)


def _unpack(params: list[Any], theta: np.ndarray) -> None:
    start = 0
    for p in params:
        size = p.data.size
        p.data[...] = theta[start:start + size].reshape(p.data.shape)
        start += size


def fit_lbfgs(est: Any, X: Any, Y: Any, w: Any) -> None:
    """Minimize the full-batch cost with L-BFGS-B; sets n_iter_ and loss_."""
    from scipy.optimize import minimize

    model = est.model_
    params = list(model.parameters())
    weights = [layer.weight for layer in linear_layers(model)]
    scale = 1.0 / (X.shape[0] if w is None else float(w.sum()))
    model.train()

    def cost_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
        _unpack(params, theta)
        for p in params:
            p.grad = None
        cost = data_loss(est.out_activation_, model(X), Y, w)
        cost.backward()
        penalty = add_penalty_gradients(weights, est.alpha, est.l1, scale)
        grads = [np.zeros_like(p.data) if p.grad is None else p.grad for p in params]
        return float(cost.data) + penalty, _pack(grads)

    result = minimize(cost_and_gradient, _pack([p.data for p in params]), method="L-BFGS-B",
                      jac=True, options={"maxfun": est.max_fun, "maxiter": est.max_iter,
                                         "gtol": est.tol})
    _unpack(params, result.x)
    model.eval()
    if result.status != 0:
        warnings.warn(f"lbfgs failed to converge after {result.nit} iteration(s) "
                      f"(status={result.status}): {result.message}. Increase the number "
                      "of iterations (max_iter) or evaluations (max_fun), or scale the data.",
                      ConvergenceWarning, stacklevel=4)
    est.n_iter_ = min(int(result.nit), est.max_iter)
    est.loss_ = float(result.fun)

