"""Weight initializers (``ml.nn.init``): fill a parameter in place, reproducibly.

Every function takes the tensor (a ``Parameter``), writes into its ``.data`` and
returns it; random ones take ``seed`` (int, ``numpy.random.Generator`` or None).

For a weight W of shape (n^[l], n^[l−1]) = (fan_out, fan_in):

==================  ===========================================  ==========================
initializer         distribution                                 suits
==================  ===========================================  ==========================
xavier_uniform_     U(−a, a), a = gain·√(6/(fan_in + fan_out))   tanh, sigmoid (Glorot 2010)
xavier_normal_      N(0, σ²), σ = gain·√(2/(fan_in + fan_out))   tanh, sigmoid
he_normal_          N(0, σ²), σ = gain/√fan, gain = √2 (ReLU)    ReLU family (He 2015)
he_uniform_         U(−a, a), a = gain·√(3/fan)                  ReLU family
lecun_normal_       N(0, σ²), σ = gain/√fan_in                   SELU, linear (LeCun 1998)
orthogonal_         Q of a QR decomposition, times gain          deep/recurrent (Saxe 2014)
==================  ===========================================  ==========================

Why the variances: with z = Σ_k w_k a_k over n inputs, Var(z) = n·Var(w)·Var(a);
Var(w) = 1/n keeps Var(z) ≈ Var(a) layer after layer (the textbook √(1/n^[l−1])),
ReLU halves the second moment so He doubles it to 2/n, and Xavier averages the
forward (fan_in) and backward (fan_out) conditions: 2/(fan_in + fan_out).
Initializing every weight to the same value (zeros_) makes all units of a layer
compute the same function forever: the symmetry problem.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from mlplab import checks
from mlplab.autograd.tensor import Tensor
from mlplab.backend import xp
from mlplab.checks import SeedLike


def _fill(tensor: Tensor, values: Any) -> Tensor:
    tensor.data[...] = values
    return tensor


def _fans(tensor: Tensor, where: str) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in, *receptive field)."""
    if tensor.ndim < 2:
        raise ValueError(f"{where}: fan_in and fan_out need a weight with at least 2 dimensions "
                         f"(out_features, in_features), got shape {tensor.shape}")
    receptive = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fan(tensor: Tensor, mode: str, where: str) -> int:
    fan_in, fan_out = _fans(tensor, where)
    if mode == "fan_in":
        return fan_in
    if mode == "fan_out":
        return fan_out
    raise checks.unknown(where, "fan mode", mode, ("fan_in", "fan_out"))


_GAINS: dict[str, Callable[[float | None], float]] = {
    "linear": lambda p: 1.0,
    "identity": lambda p: 1.0,
    "sigmoid": lambda p: 1.0,
    "tanh": lambda p: 5.0 / 3.0,
    "relu": lambda p: math.sqrt(2.0),
    "leaky_relu": lambda p: math.sqrt(2.0 / (1 + (0.01 if p is None else float(p)) ** 2)),
    "selu": lambda p: 3.0 / 4.0,
}


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The gain that keeps the activations' scale through ``nonlinearity`` (PyTorch's values):
    linear/identity/sigmoid 1, tanh 5/3, relu √2, leaky_relu √(2/(1 + λ²)) (λ = ``param``,
    default 0.01), selu 3/4."""
    if nonlinearity not in _GAINS:
        raise checks.unknown("calculate_gain", "nonlinearity", nonlinearity, _GAINS)
    return _GAINS[nonlinearity](param)


def zeros_(tensor: Tensor, seed: SeedLike = None) -> Tensor:
    """W = 0 (biases; for weights it leaves all units identical : the symmetry problem)."""
    return _fill(tensor, 0)


def ones_(tensor: Tensor, seed: SeedLike = None) -> Tensor:
    """W = 1."""
    return _fill(tensor, 1)


def constant_(tensor: Tensor, val: float, seed: SeedLike = None) -> Tensor:
    """W = val."""
    return _fill(tensor, val)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, seed: SeedLike = None) -> Tensor:
    """W ~ N(mean, std²)."""
    checks.check_number(std, "std", "normal_", low=0.0)
    return _fill(tensor, checks.as_generator(seed).normal(mean, std, size=tensor.shape))


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, seed: SeedLike = None) -> Tensor:
    """W ~ U(a, b)."""
    checks.check_number(b, "b", "uniform_", low=a)
    return _fill(tensor, checks.as_generator(seed).uniform(a, b, size=tensor.shape))


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, seed: SeedLike = None) -> Tensor:
    """Glorot & Bengio (2010): W ~ U(−a, a), a = gain·√(6/(fan_in + fan_out)) (the textbook
    U[−√(6/(a+b)), √(6/(a+b))] for a inputs and b outputs)."""
    fan_in, fan_out = _fans(tensor, "xavier_uniform_")
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, seed=seed)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, seed: SeedLike = None) -> Tensor:
    """Glorot & Bengio (2010): W ~ N(0, σ²), σ = gain·√(2/(fan_in + fan_out))."""
    fan_in, fan_out = _fans(tensor, "xavier_normal_")
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), seed=seed)


def he_normal_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
               nonlinearity: str = "relu", seed: SeedLike = None) -> Tensor:
    """He et al. (2015): W ~ N(0, σ²), σ = gain/√fan (the textbook Var(w) = 2/n for ReLU).

    ``gain = calculate_gain(nonlinearity, a)``; ``a`` is the negative slope for
    'leaky_relu'. ``mode='fan_in'`` preserves the forward variance, 'fan_out' the backward.
    """
    fan = _fan(tensor, mode, "he_normal_")
    gain = calculate_gain(nonlinearity, a)
    return normal_(tensor, 0.0, gain / math.sqrt(fan), seed=seed)


def he_uniform_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                nonlinearity: str = "relu", seed: SeedLike = None) -> Tensor:
    """He et al. (2015), uniform form: W ~ U(−b, b), b = gain·√(3/fan) (same variance as
    he_normal_: Var U(−b, b) = b²/3)."""
    fan = _fan(tensor, mode, "he_uniform_")
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan)
    return uniform_(tensor, -bound, bound, seed=seed)


def lecun_normal_(tensor: Tensor, gain: float = 1.0, seed: SeedLike = None) -> Tensor:
    """LeCun et al. (1998): W ~ N(0, σ²), σ = gain/√fan_in (the textbook √(1/n^[l−1])).

    Keras draws from a truncated normal; this is the plain normal with the same σ.
    """
    fan_in, _ = _fans(tensor, "lecun_normal_")
    return normal_(tensor, 0.0, gain / math.sqrt(fan_in), seed=seed)


def orthogonal_(tensor: Tensor, gain: float = 1.0, seed: SeedLike = None) -> Tensor:
    """Saxe et al. (2014): a (semi-)orthogonal matrix times ``gain``.

    Q from the QR decomposition of a standard normal matrix, with the signs of R's
    diagonal folded in so that Q is uniformly (Haar) distributed.
    """
    if tensor.ndim < 2:
        raise ValueError(f"orthogonal_: needs a weight with at least 2 dimensions, got shape "
                         f"{tensor.shape}")
    rows = tensor.shape[0]
    cols = tensor.size // rows
    flat = checks.as_generator(seed).standard_normal((max(rows, cols), min(rows, cols)))
    q, r = xp.linalg.qr(flat)
    q *= xp.sign(xp.diag(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, (gain * q).reshape(tensor.shape))


kaiming_normal_ = he_normal_
kaiming_uniform_ = he_uniform_
glorot_uniform_ = xavier_uniform_
glorot_normal_ = xavier_normal_

INITIALIZERS: dict[str, Callable[..., Tensor]] = {
    "zeros": zeros_,
    "ones": ones_,
    "normal": normal_,
    "uniform": uniform_,
    "xavier_uniform": xavier_uniform_,
    "xavier_normal": xavier_normal_,
    "glorot_uniform": xavier_uniform_,
    "glorot_normal": xavier_normal_,
    "he_normal": he_normal_,
    "he_uniform": he_uniform_,
    "kaiming_normal": he_normal_,
    "kaiming_uniform": he_uniform_,
    "lecun_normal": lecun_normal_,
    "orthogonal": orthogonal_,
}
"""Initializers by name, for ``Linear(init='he_normal')`` and configuration files."""


def get_initializer(init: str | Callable[..., Tensor]) -> Callable[..., Tensor]:
    """Resolve an initializer once: a name from ``INITIALIZERS`` or a callable
    ``fn(tensor, seed=rng)``. An unknown name raises an error suggesting the closest."""
    if callable(init):
        return init
    if not isinstance(init, str):
        raise checks.ParameterError(f"get_initializer: init must be a name such as 'he_normal' "
                                    f"or a callable, got {type(init).__name__}")
    key = init.lower().removesuffix("_")
    if key not in INITIALIZERS:
        raise checks.unknown("get_initializer", "initializer", init, INITIALIZERS)
    return INITIALIZERS[key]
