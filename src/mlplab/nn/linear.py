"""Fully connected layers: ``Linear`` (the textbook z = W a + b) and ``Identity``."""

from __future__ import annotations

import math
from typing import Any

from mlplab import checks
from mlplab.autograd.primitive import ShapeError
from mlplab.autograd.tensor import Tensor
from mlplab.backend import DTypeLike, get_default_dtype, resolve_dtype, xp
from mlplab.checks import SeedLike
from mlplab.memory import check_fits
from mlplab.nn import functional as F
from mlplab.nn import init as nn_init
from mlplab.nn.module import Module
from mlplab.nn.parameter import Parameter


class Identity(Module):
    """a = z: passes its input through (a placeholder, or the 'linear' activation)."""

    def forward(self, input: Any) -> Any:
        return input


def check_width(layer: Module | str, x: Any, in_features: int) -> Any:
    """Raise ``ShapeError`` naming the layer when x's last axis is not ``in_features``.

    ``layer`` is the module (named in the message by its repr, e.g.
    'Linear(in_features=3, out_features=4, bias=True)') or that name itself. The name
    is only built on error: this check runs on every forward pass.
    """
    shape = getattr(x, "shape", None)
    if shape is None:
        x = Tensor(x)
        shape = x.shape
    if len(shape) == 0 or shape[-1] != in_features:
        got = f"input of width {shape[-1]}" if len(shape) else "a scalar input"
        name = layer if isinstance(layer, str) else f"{type(layer).__name__}({layer.extra_repr()})"
        raise ShapeError(f"{name} got {got} (input shape {tuple(shape)}); expected shape "
                         f"(N, {in_features})")
    return x


class Linear(Module):
    """Fully connected layer: z = W a + b per example; Z = X Wᵀ + b for a batch of rows.

    ``weight`` is the textbook W^[l] of shape (n^[l], n^[l−1]) = (out_features, in_features),
    ``bias`` is b^[l] of shape (out_features,), as in PyTorch.

    Args:
        in_features: n^[l−1], the width of the input.
        out_features: n^[l], the number of units.
        bias: learn an additive bias b (default True).
        init: how to draw W: None for PyTorch's default (below), a name from
            ``ml.nn.init`` ('he_normal', 'xavier_uniform', 'zeros', …) or a callable
            ``init(weight, seed=rng)``. With a named or callable init the bias starts at 0.
        seed: int, ``numpy.random.Generator`` or None (fresh entropy) for the initial draw.
        dtype: parameter dtype (default: ``ml.get_default_dtype()``, float32).

    Default initialization (PyTorch's): W, b ~ U(−1/√n_in, 1/√n_in), n_in = in_features.
    PyTorch writes it as kaiming_uniform with a = √5, i.e. gain √(2/(1 + 5)) and bound
    gain·√(3/n_in) = 1/√n_in. It keeps Var(z) ≈ Var(a)/3 whatever the width (the textbook
    "w_i ~ 1/n" rule) and matches PyTorch, so a model ported either way starts from the
    same distribution. For deep ReLU nets prefer init='he_normal'; for tanh, 'xavier_uniform'.

    Shape:
        input (N, in_features) (or (…, in_features); a SciPy sparse matrix is accepted)
        → output (N, out_features). An input of another dtype is cast to the weight's.

    >>> import mlplab as ml
    >>> layer = ml.nn.Linear(3, 2, seed=0)
    >>> layer.weight.shape, layer.bias.shape
    ((2, 3), (2,))
    >>> layer(ml.tensor([[1.0, 2.0, 3.0]])).shape
    (1, 2)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 init: str | Any | None = None, seed: SeedLike = None,
                 dtype: DTypeLike | None = None) -> None:
        super().__init__()
        self.in_features = checks.check_positive_int(in_features, "in_features", "Linear")
        self.out_features = checks.check_positive_int(out_features, "out_features", "Linear")
        self.init = init
        self._initializer = None if init is None else nn_init.get_initializer(init)
        dtype = get_default_dtype() if dtype is None else resolve_dtype(dtype)
        # Refuse a typo like Linear(2, 10**9) here, in one line, not as NumPy's MemoryError.
        check_fits(float(self.out_features) * (self.in_features + 1) * dtype.itemsize,
                   f"Linear({self.in_features}, {self.out_features})",
                   "use fewer units per layer")
        self.weight = Parameter(xp.empty((self.out_features, self.in_features), dtype=dtype))
        if bias:
            self.bias = Parameter(xp.empty(self.out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters(seed)

    def _init_parameters(self, rng: Any) -> None:
        if self._initializer is None:
            bound = 1.0 / math.sqrt(self.in_features)
            nn_init.uniform_(self.weight, -bound, bound, seed=rng)
            if self.bias is not None:
                nn_init.uniform_(self.bias, -bound, bound, seed=rng)
            return
        self._initializer(self.weight, seed=rng)
        if self.bias is not None:
            nn_init.zeros_(self.bias)

    def forward(self, input: Any) -> Tensor:
        params = self._parameters  # direct: attribute lookup falls back to __getattr__
        try:
            return F.linear(input, params["weight"], params["bias"])
        except ShapeError:  # say which layer, in the layer's own terms
            check_width(self, input, self.in_features)
            raise

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")
