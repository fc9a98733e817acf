"""``ml.export.to_torch`` / ``from_torch``: same outputs, weights copied by value."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import mlplab as ml
from mlplab.checks import ParameterError
from mlplab.export import SHARED_LAYERS, ExportError, from_torch, to_torch

nn = ml.nn
TOLERANCE = {"float32": 1e-6, "float64": 1e-12}


def _close(out, expected, dtype) -> bool:
    """|Δ| ≤ tolerance per unit of output size: float32 holds ~7 digits, so outputs of
    size 4 (a LayerNorm with γ, β ~ 1) differ by a few 1e-7 units in the last place
    between any two implementations, PyTorch's and mlplab's alike."""
    scale = max(1.0, float(np.abs(expected).max()))
    return float(np.abs(out - expected).max()) <= TOLERANCE[dtype] * scale
WIDTH = 5


def shared_layer(kind: str, dtype: str):
    """One layer of each kind both libraries have, with non-default settings."""
    return {
        "Linear": lambda: nn.Linear(WIDTH, WIDTH, seed=0, dtype=dtype),
        "Identity": nn.Identity, "ReLU": nn.ReLU, "Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh,
        "LeakyReLU": lambda: nn.LeakyReLU(0.2),
        "PReLU": lambda: nn.PReLU(WIDTH, init=0.3, dtype=dtype),
        "RReLU": lambda: nn.RReLU(0.05, 0.4, seed=0), "ELU": lambda: nn.ELU(0.6),
        "Softmax": lambda: nn.Softmax(dim=1), "Dropout": lambda: nn.Dropout(0.4, seed=0),
        "BatchNorm1d": lambda: nn.BatchNorm1d(WIDTH, eps=1e-3, momentum=0.3, dtype=dtype),
        "LayerNorm": lambda: nn.LayerNorm(WIDTH, eps=1e-4, dtype=dtype),
        "Sequential": lambda: nn.Sequential(nn.Linear(WIDTH, WIDTH, seed=1, dtype=dtype),
                                            nn.Tanh()),
    }[kind]()


def _randomize(model, rng):
    """Slopes, γ, β and running statistics away from their initial values; weight
    matrices in ±0.5 so that outputs stay O(1), where float32 resolves 1e-6."""
    for value in [*(p.data for p in model.parameters()), *model.buffers()]:
        if value.dtype.kind == "f":
            low = -0.5 if value.ndim == 2 else 0.5
            value[...] = rng.uniform(low, low + 1.0, value.shape)
    return model


def _mine(model, X):
    with ml.no_grad():
        return model(ml.tensor(X)).data


def _theirs(module, X):
    with torch.no_grad():
        return module(torch.from_numpy(X)).numpy()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kind", SHARED_LAYERS)
def test_to_torch_gives_the_same_outputs(kind, dtype):
    rng = np.random.default_rng(0)
    model = _randomize(nn.Sequential(nn.Linear(WIDTH, WIDTH, seed=2, dtype=dtype),
                                     shared_layer(kind, dtype)), rng).eval()
    X = rng.normal(0, 1, (64, WIDTH)).astype(dtype)
    twin = to_torch(model)
    assert not twin.training and type(twin[1]).__name__ == kind
    out = _theirs(twin, X)
    assert out.dtype == np.dtype(dtype)
    assert _close(out, _mine(model, X), dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kind", SHARED_LAYERS)
def test_from_torch_gives_the_same_outputs(kind, dtype):
    torch.manual_seed(0)
    twin = to_torch(shared_layer(kind, dtype))  # a PyTorch layer with the same settings
    module = torch.nn.Sequential(torch.nn.Linear(WIDTH, WIDTH), twin).to(getattr(torch, dtype))
    with torch.no_grad():
        for value in [*module.parameters(), *module.buffers()]:
            if value.is_floating_point():
                value.uniform_(*((-0.5, 0.5) if value.ndim == 2 else (0.5, 1.5)))
    module.eval()
    model = from_torch(module)
    assert not model.training and type(model[1]).__name__ == kind
    X = np.random.default_rng(1).normal(0, 1, (64, WIDTH)).astype(dtype)
    out = _mine(model, X)
    assert out.dtype == np.dtype(dtype)
    assert _close(out, _theirs(module, X), dtype)


def test_parameters_are_copied_not_shared():
    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.BatchNorm1d(4), nn.PReLU())
    twin = to_torch(model)
    back = from_torch(twin)
    before = {k: v.copy() for k, v in model.state_dict().items()}
    with torch.no_grad():
        for value in [*twin.parameters(), *twin.buffers()]:
            value.add_(1)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name])  # the original is untouched
    for name, value in back.state_dict().items():
        np.testing.assert_array_equal(value, before[name])
        assert not np.shares_memory(value, twin.state_dict()[name].numpy())


def test_training_mode_and_batch_statistics_carry_over():
    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.BatchNorm1d(4, momentum=0.2)).train()
    twin = to_torch(model)
    assert twin.training and twin[1].training
    X = np.random.default_rng(2).normal(size=(16, 3)).astype(np.float32)
    model(ml.tensor(X))
    twin(torch.from_numpy(X))  # one training step of batch statistics on each side
    np.testing.assert_allclose(twin[1].running_var.numpy(), model[1].running_var, atol=1e-6)
    assert int(twin[1].num_batches_tracked) == int(model[1].num_batches_tracked) == 1


@pytest.mark.parametrize("model, named", [
    (nn.Sequential(nn.Linear(4, 4, seed=0), nn.Maxout(4, 2, pieces=2, seed=0)),
     "layer model[1] (Maxout) has no PyTorch twin"),
    (nn.Sequential(nn.GaussianNoise(0.1)), "layer model[0] (GaussianNoise)"),
])
def test_a_layer_torch_lacks_is_named_in_one_line(model, named):
    with pytest.raises(ExportError) as excinfo:
        to_torch(model)
    assert named in str(excinfo.value) and "\n" not in str(excinfo.value)


@pytest.mark.parametrize("module, named", [
    (torch.nn.Sequential(torch.nn.Conv1d(1, 1, 3)), "layer module[0] (Conv1d) has no mlplab"),
    (torch.nn.Softmax(), "Softmax(dim=None); give the axis"),
])
def test_a_layer_mlplab_lacks_is_named_in_one_line(module, named):
    with pytest.raises(ExportError) as excinfo:
        from_torch(module)
    assert named in str(excinfo.value) and "\n" not in str(excinfo.value)


def test_wrong_kinds_of_model_are_one_line():
    with pytest.raises(ParameterError, match="to_torch: model must be an ml.nn module"):
        to_torch(torch.nn.Linear(2, 2))
    with pytest.raises(ParameterError, match="from_torch: module must be a torch.nn.Module"):
        from_torch(nn.Linear(2, 2))
