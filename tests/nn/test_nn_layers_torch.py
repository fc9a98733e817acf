"""Every layer against its PyTorch twin in float64: output, input gradient, parameter
gradients and buffers, in training and evaluation mode, on several shapes.

Adding a layer means adding a row to CASES: (id, mlplab factory, torch factory,
input shapes, modes, input scale).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
import torch

import mlplab as ml
from mlplab import nn
from tests.nn.parity import close, copy_state, randomize_buffers, randomize_parameters, run_both


class TorchMaxout(torch.nn.Module):
    """Maxout written with PyTorch ops: linear, split the units into pieces, amax."""

    def __init__(self, in_features: int, out_features: int, pieces: int) -> None:
        super().__init__()
        self.weight = torch.nn.Parameter(torch.empty(out_features * pieces, in_features))
        self.bias = torch.nn.Parameter(torch.empty(out_features * pieces))
        self.shape = (out_features, pieces)

    def forward(self, x):
        return torch.nn.functional.linear(x, self.weight, self.bias).unflatten(
            -1, self.shape).amax(dim=-1)


@dataclass
class Case:
    id: str
    make: Any
    make_torch: Any
    shapes: list[tuple[int, ...]]
    modes: tuple[str, ...] = ("train", "eval")  # stochastic layers: "eval" only here
    scale: float = 1.0
    randomize: bool = field(default=False)


CASES = [
    Case("Linear", lambda: nn.Linear(5, 3, seed=0), lambda: torch.nn.Linear(5, 3),
         [(4, 5), (1, 5), (5,), (2, 3, 5)]),
    Case("Linear-no-bias", lambda: nn.Linear(5, 3, bias=False, seed=0),
         lambda: torch.nn.Linear(5, 3, bias=False), [(4, 5)]),
    Case("Linear-he", lambda: nn.Linear(4, 6, init="he_normal", seed=1),
         lambda: torch.nn.Linear(4, 6), [(3, 4)]),
    Case("Identity", nn.Identity, torch.nn.Identity, [(4, 3)]),
    Case("Sigmoid", nn.Sigmoid, torch.nn.Sigmoid, [(4, 3), (2, 3, 4)]),
    Case("Sigmoid-saturated", nn.Sigmoid, torch.nn.Sigmoid, [(6, 5)], scale=60.0),
    Case("Tanh", nn.Tanh, torch.nn.Tanh, [(4, 3), (7,)]),
    Case("Tanh-saturated", nn.Tanh, torch.nn.Tanh, [(6, 5)], scale=30.0),
    Case("ReLU", nn.ReLU, torch.nn.ReLU, [(4, 3), (2, 3, 4)]),
    Case("LeakyReLU", nn.LeakyReLU, torch.nn.LeakyReLU, [(4, 3)]),
    Case("LeakyReLU-0.2", lambda: nn.LeakyReLU(0.2), lambda: torch.nn.LeakyReLU(0.2), [(5, 2)]),
    Case("PReLU", nn.PReLU, torch.nn.PReLU, [(4, 3), (2, 3, 4)]),
    Case("PReLU-per-channel", lambda: nn.PReLU(3), lambda: torch.nn.PReLU(3),
         [(4, 3), (2, 3, 5)], randomize=True),
    Case("RReLU-eval", nn.RReLU, torch.nn.RReLU, [(4, 3)], modes=("eval",)),
    Case("ELU", nn.ELU, torch.nn.ELU, [(4, 3), (2, 3, 4)], scale=3.0),
    Case("ELU-0.5", lambda: nn.ELU(0.5), lambda: torch.nn.ELU(0.5), [(4, 3)], scale=3.0),
    Case("Softmax", nn.Softmax, lambda: torch.nn.Softmax(dim=-1), [(4, 3), (2, 3, 4)]),
    Case("Softmax-dim0", lambda: nn.Softmax(0), lambda: torch.nn.Softmax(dim=0), [(4, 3)]),
    Case("Softmax-large", nn.Softmax, lambda: torch.nn.Softmax(dim=-1), [(4, 6)], scale=500.0),
    Case("Maxout", lambda: nn.Maxout(5, 3, 4, seed=0), lambda: TorchMaxout(5, 3, 4),
         [(6, 5), (2, 3, 5)]),
    Case("Dropout-eval", lambda: nn.Dropout(0.4), lambda: torch.nn.Dropout(0.4), [(4, 3)],
         modes=("eval",)),
    Case("GaussianNoise-eval", lambda: nn.GaussianNoise(0.3), torch.nn.Identity, [(4, 3)],
         modes=("eval",)),
    Case("BatchNorm1d", lambda: nn.BatchNorm1d(3), lambda: torch.nn.BatchNorm1d(3),
         [(5, 3), (2, 3), (4, 3, 6)], randomize=True),
    Case("BatchNorm1d-no-affine", lambda: nn.BatchNorm1d(4, affine=False, momentum=0.3),
         lambda: torch.nn.BatchNorm1d(4, affine=False, momentum=0.3), [(6, 4)]),
    Case("BatchNorm1d-cumulative", lambda: nn.BatchNorm1d(3, momentum=None, eps=1e-3),
         lambda: torch.nn.BatchNorm1d(3, momentum=None, eps=1e-3), [(5, 3)]),
    Case("BatchNorm1d-no-running", lambda: nn.BatchNorm1d(3, track_running_stats=False),
         lambda: torch.nn.BatchNorm1d(3, track_running_stats=False), [(5, 3)],
         randomize=True),
    Case("LayerNorm", lambda: nn.LayerNorm(4), lambda: torch.nn.LayerNorm(4),
         [(3, 4), (2, 3, 4), (4,)], randomize=True),
    Case("LayerNorm-2d", lambda: nn.LayerNorm((3, 4), eps=1e-3),
         lambda: torch.nn.LayerNorm((3, 4), eps=1e-3), [(2, 3, 4)], randomize=True),
    Case("LayerNorm-no-affine", lambda: nn.LayerNorm(5, elementwise_affine=False),
         lambda: torch.nn.LayerNorm(5, elementwise_affine=False), [(3, 5)]),
]


def _pair(case: Case, rng: np.random.Generator):
    module = case.make().double()
    if case.randomize:
        randomize_parameters(module, rng)
    randomize_buffers(module, rng)
    twin = case.make_torch().double()
    copy_state(module, twin)
    return module, twin


RUNS = [(case, mode) for case in CASES for mode in case.modes]


@pytest.mark.parametrize(("case", "mode"), RUNS, ids=[f"{c.id}-{m}" for c, m in RUNS])
def test_layer_matches_torch(case: Case, mode: str) -> None:
    rng = np.random.default_rng(zlib.crc32(case.id.encode()))
    for shape in case.shapes:
        module, twin = _pair(case, rng)
        module.train(mode == "train")
        twin.train(mode == "train")
        x = rng.standard_normal(shape) * case.scale
        (x_ml, out_ml), (x_t, out_t) = run_both(module, twin, x, rng)
        where = f"{case.id} {mode} {shape}"
        close(out_ml.data, out_t, f"output of {where}")
        close(x_ml.grad, x_t.grad, f"input gradient of {where}")
        torch_params = dict(twin.named_parameters())
        names = [name for name, _ in module.named_parameters()]
        assert sorted(names) == sorted(torch_params), where
        for name, p in module.named_parameters():
            close(p.grad, torch_params[name].grad, f"∂/∂{name} of {where}")
        torch_buffers = dict(twin.named_buffers())
        for name, b in module.named_buffers():
            close(b, torch_buffers[name], f"buffer {name} of {where}")


def test_batchnorm_running_statistics_follow_torch_over_many_steps() -> None:
    rng = np.random.default_rng(3)
    bn, twin = nn.BatchNorm1d(4, momentum=0.2).double(), torch.nn.BatchNorm1d(4, momentum=0.2)
    twin = twin.double()
    for _ in range(5):
        x = rng.standard_normal((8, 4)) * 3 + 1
        bn(ml.tensor(x))
        twin(torch.tensor(x))
    for name, b in bn.named_buffers():
        close(b, dict(twin.named_buffers())[name], name)
    bn.eval()
    twin.eval()
    x = rng.standard_normal((3, 4))
    close(bn(ml.tensor(x)).data, twin(torch.tensor(x)), "eval output after 5 steps")


def test_activations_at_zero_take_pytorch_subgradient() -> None:
    x = np.array([0.0, 0.0])
    for module, twin in [(nn.ReLU(), torch.nn.ReLU()), (nn.LeakyReLU(0.1), torch.nn.LeakyReLU(0.1)),
                         (nn.ELU(0.7), torch.nn.ELU(0.7)), (nn.PReLU(), torch.nn.PReLU())]:
        module = module.double()
        twin = twin.double()
        copy_state(module, twin)
        (x_ml, _), (x_t, _) = run_both(module, twin, x, np.ones(2))
        close(x_ml.grad, x_t.grad, f"gradient at 0 of {module!r}")


def test_float32_layers_stay_float32_and_match_torch() -> None:
    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(6, 5, seed=0), nn.BatchNorm1d(5), nn.Tanh(),
                          nn.Linear(5, 2, seed=1))
    twin = torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.BatchNorm1d(5), torch.nn.Tanh(),
                               torch.nn.Linear(5, 2))
    copy_state(model, twin)
    x = rng.standard_normal((4, 6)).astype(np.float32)
    out = model(x)
    assert out.dtype == np.float32
    close(out.data, twin(torch.tensor(x)), "float32 forward", atol=1e-5, rtol=1e-5)


def test_maxout_splits_the_gradient_between_tied_pieces_like_amax() -> None:
    layer = nn.Maxout(3, 2, 3, seed=0).double()
    layer.weight.data[1] = layer.weight.data[0]  # pieces 0 and 1 of unit 0 tie everywhere
    layer.bias.data[1] = layer.bias.data[0]
    twin = TorchMaxout(3, 2, 3).double()
    copy_state(layer, twin)
    x = np.random.default_rng(0).standard_normal((4, 3))
    (_, out_ml), (_, out_t) = run_both(layer, twin, x, np.ones((4, 2)))
    close(out_ml.data, out_t, "tied maxout output")
    close(layer.weight.grad, twin.weight.grad, "tied maxout weight gradient")
