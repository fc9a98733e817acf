"""gradcheck (central differences, float64) on every layer and loss, parameters included.

Layers are checked through their modules: the parameters are swapped for the
checked leaves, so one check covers dX and every dθ. Stochastic layers are
checked in training mode with their generator reseeded before each evaluation,
which makes them deterministic functions of the input.
"""

from __future__ import annotations

import numpy as np
import pytest

import mlplab as ml
from mlplab import nn

F = nn.functional


def module_function(module: nn.Module, reseed: bool):
    """fn(x, *params) that runs ``module`` with the given tensors as its parameters."""
    owners = [(m, key) for _, m in module.named_modules() for key, p in m._parameters.items()
              if p is not None]

    def fn(x, *params):
        saved = [m._parameters[key] for m, key in owners]
        for (m, key), p in zip(owners, params, strict=True):
            m._parameters[key] = p
        try:
            if reseed:
                module.set_rng(0)
            return module(x)
        finally:
            for (m, key), p in zip(owners, saved, strict=True):
                m._parameters[key] = p

    return fn


LAYERS = [
    ("Linear", lambda: nn.Linear(4, 3, seed=0), (3, 4), "eval"),
    ("Linear-no-bias", lambda: nn.Linear(4, 3, bias=False, seed=0), (3, 4), "eval"),
    ("Linear-1d", lambda: nn.Linear(4, 3, seed=0), (4,), "eval"),
    ("Sigmoid", nn.Sigmoid, (3, 4), "eval"),
    ("Tanh", nn.Tanh, (3, 4), "eval"),
    ("ReLU", nn.ReLU, (3, 4), "eval"),
    ("LeakyReLU", lambda: nn.LeakyReLU(0.1), (3, 4), "eval"),
    ("PReLU", nn.PReLU, (3, 4), "eval"),
    ("PReLU-channels", lambda: nn.PReLU(3, init=0.4), (2, 3, 2), "eval"),
    ("RReLU-train", nn.RReLU, (3, 4), "train"),
    ("RReLU-eval", nn.RReLU, (3, 4), "eval"),
    ("ELU", lambda: nn.ELU(0.8), (3, 4), "eval"),
    ("Maxout", lambda: nn.Maxout(4, 2, 3, seed=0), (3, 4), "eval"),
    ("Softmax", nn.Softmax, (3, 4), "eval"),
    ("Dropout-train", lambda: nn.Dropout(0.3), (3, 4), "train"),
    ("GaussianNoise-train", lambda: nn.GaussianNoise(0.5), (3, 4), "train"),
    ("BatchNorm1d-train", lambda: nn.BatchNorm1d(4), (5, 4), "train"),
    ("BatchNorm1d-3d-train", lambda: nn.BatchNorm1d(3), (2, 3, 3), "train"),
    ("BatchNorm1d-eval", lambda: nn.BatchNorm1d(4), (5, 4), "eval"),
    ("LayerNorm", lambda: nn.LayerNorm(4), (3, 4), "train"),
    ("LayerNorm-2d", lambda: nn.LayerNorm((2, 3)), (2, 2, 3), "train"),
]


@pytest.mark.parametrize(("name", "make", "shape", "mode"), LAYERS, ids=[c[0] for c in LAYERS])
def test_layer_gradients_pass_gradcheck(name, make, shape, mode) -> None:
    rng = np.random.default_rng(0)
    module = make().double().train(mode == "train")
    for p in module.parameters():  # away from γ = 1, β = 0 so every term of the VJP counts
        p.data[...] = rng.uniform(0.5, 1.5, p.shape) * rng.choice([-1, 1], p.shape)
    x = ml.tensor(rng.standard_normal(shape), requires_grad=True)
    params = [ml.tensor(p.data, requires_grad=True) for p in module.parameters()]
    result = ml.gradcheck(module_function(module, reseed=mode == "train"), x, *params)
    assert result.ok, result.report()
    assert len(result.inputs) == 1 + len(params)


def _classes(rng):
    return rng.integers(0, 4, 5)


def _probs(rng):
    p = rng.uniform(0.1, 1, (5, 4))
    return p / p.sum(axis=1, keepdims=True)


LOSSES = [
    ("L1", lambda: nn.L1Loss(), lambda r: r.standard_normal((5, 4))),
    ("MSE", lambda: nn.MSELoss(), lambda r: r.standard_normal((5, 4))),
    ("Huber", lambda: nn.HuberLoss(delta=0.8), lambda r: r.standard_normal((5, 4))),
    ("Hinge", lambda: nn.HingeLoss(), lambda r: r.choice([-1.0, 1.0], (5, 4))),
    ("MultiMargin", lambda: nn.MultiMarginLoss(), _classes),
    ("MultiMargin-p2-weight", lambda: nn.MultiMarginLoss(p=2, weight=np.arange(1.0, 5.0)),
     _classes),
    ("BCE", lambda: nn.BCELoss(), lambda r: r.uniform(0, 1, (5, 4))),
    ("BCEWithLogits", lambda: nn.BCEWithLogitsLoss(pos_weight=np.full(4, 2.0)),
     lambda r: r.uniform(0, 1, (5, 4))),
    ("CrossEntropy", lambda: nn.CrossEntropyLoss(weight=np.arange(1.0, 5.0), label_smoothing=0.1),
     _classes),
    ("CrossEntropy-probabilities", lambda: nn.CrossEntropyLoss(label_smoothing=0.2), _probs),
    ("NLL", lambda: nn.NLLLoss(weight=np.arange(1.0, 5.0)), _classes),
]


@pytest.mark.parametrize("reduction", ["mean", "none"])
@pytest.mark.parametrize(("name", "loss", "target"), LOSSES, ids=[c[0] for c in LOSSES])
def test_loss_gradients_pass_gradcheck(name, loss, target, reduction) -> None:
    rng = np.random.default_rng(1)
    loss = loss()
    loss.reduction = reduction
    x = rng.standard_normal((5, 4))
    if name == "BCE":
        x = rng.uniform(0.05, 0.95, (5, 4))
    if name == "NLL":
        x = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    t = target(rng)
    inputs = [ml.tensor(x, requires_grad=True)]
    if t.dtype.kind == "f" and name != "Hinge":  # float targets get gradients too
        inputs.append(ml.tensor(t, requires_grad=True))
        result = ml.gradcheck(lambda a, b: loss(a, b), *inputs)
    else:
        result = ml.gradcheck(lambda a: loss(a, t), *inputs)
    assert result.ok, result.report()


def test_sparse_linear_weight_gradient_passes_gradcheck() -> None:
    import scipy.sparse as sp

    rng = np.random.default_rng(2)
    x = sp.random(6, 5, density=0.4, format="csr", random_state=3, dtype=np.float64)
    w = ml.tensor(rng.standard_normal((3, 5)), requires_grad=True)
    b = ml.tensor(rng.standard_normal(3), requires_grad=True)
    result = ml.gradcheck(lambda w, b: F.linear(ml.Tensor(x), w, b), w, b)
    assert result.ok, result.report()


def test_gradcheck_inputs_live_in_cases_modules_not_beside_the_math():
    from pathlib import Path

    from mlplab.autograd.gradcheck_cases import CASES

    folder = Path(F.__file__).parent
    for path in folder.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if not path.stem.endswith("_cases"):
            assert "add_cases" not in text and "default_rng(" not in text, path.name
    for primitive in ("linear", "max_pieces", "leaky_relu", "prelu", "elu", "batch_norm",
                      "layer_norm", "softmax_cross_entropy_index", "binary_cross_entropy"):
        assert CASES.get(primitive), f"{primitive} has no registered gradcheck inputs"
