"""``Maxout``: a learned piecewise-linear activation with its own weights."""

from __future__ import annotations

import math
from typing import Any

from mlplab import checks
from mlplab.autograd.tensor import Tensor
from mlplab.backend import DTypeLike, get_default_dtype, resolve_dtype, xp
from mlplab.checks import SeedLike
from mlplab.nn import functional as F
from mlplab.nn import init as nn_init
from mlplab.nn.linear import check_width
from mlplab.nn.module import Module
from mlplab.nn.parameter import Parameter


class Maxout(Module):
    """Maxout unit (Goodfellow et al., 2013): h_j = max_{k=1..K} (w_{jk}ᵀ x + b_{jk}).

    Each of the ``out_features`` units takes the largest of K = ``pieces`` affine
    functions of the input, so it is a convex piecewise-linear function learned from
    data: ReLU is the case K = 2 with one piece fixed at 0. It does not saturate and
    cannot die (some piece always passes the gradient), at K times the parameters.
    The gradient of max flows to the winning piece only.

    Parameters: ``weight`` (out_features · pieces, in_features), row j·K + k holding
    piece k of unit j, and ``bias`` (out_features · pieces,), both initialized like
    ``Linear``: U(−1/√in_features, 1/√in_features).

    Shape:
        (N, in_features) → (N, out_features).

    >>> import mlplab as ml
    >>> ml.nn.Maxout(4, 3, pieces=2, seed=0)(ml.tensor([[1.0, 2.0, 3.0, 4.0]])).shape
    (1, 3)
    """

    def __init__(self, in_features: int, out_features: int, pieces: int, bias: bool = True,
                 seed: SeedLike = None, dtype: DTypeLike | None = None) -> None:
        super().__init__()
        self.in_features = checks.check_positive_int(in_features, "in_features", "Maxout")
        self.out_features = checks.check_positive_int(out_features, "out_features", "Maxout")
        self.pieces = checks.check_positive_int(pieces, "pieces", "Maxout")
        dtype = get_default_dtype() if dtype is None else resolve_dtype(dtype)
        rows = self.out_features * self.pieces
        self.weight = Parameter(xp.empty((rows, self.in_features), dtype=dtype))
        if bias:
            self.bias = Parameter(xp.empty(rows, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters(seed)

    def _init_parameters(self, rng: Any) -> None:
        bound = 1.0 / math.sqrt(self.in_features)
        nn_init.uniform_(self.weight, -bound, bound, seed=rng)
        if self.bias is not None:
            nn_init.uniform_(self.bias, -bound, bound, seed=rng)

    def forward(self, input: Any) -> Tensor:
        x = check_width(self, input, self.in_features)
        return F.maxout(x, self.weight, self.bias, self.pieces)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"pieces={self.pieces}")
