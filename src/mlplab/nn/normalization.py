"""Normalization layers: ``BatchNorm1d`` and ``LayerNorm`` (formulas in ``F.batch_norm``)."""

from __future__ import annotations

from typing import Any

from mlplab import checks
from mlplab.autograd.primitive import ShapeError
from mlplab.autograd.tensor import Tensor, as_tensor
from mlplab.backend import DTypeLike, get_default_dtype, resolve_dtype, xp
from mlplab.nn import functional as F
from mlplab.nn.module import Module
from mlplab.nn.parameter import Parameter


class BatchNorm1d(Module):
    """Batch normalization (Ioffe & Szegedy, 2015), placed before the activation.

    For each feature, over the m examples of the batch:

        μ = (1/m) Σ xᵢ     σ² = (1/m) Σ (xᵢ − μ)²     x̂ᵢ = (xᵢ − μ)/√(σ² + ε)     yᵢ = γ x̂ᵢ + β

    γ (``weight``, starts at 1) and β (``bias``, starts at 0) are learned, so the layer
    can undo the normalization if that helps. Training uses the batch's μ and σ² and
    updates the running estimates used in evaluation (PyTorch's convention):

        running_mean ← (1 − momentum)·running_mean + momentum·μ
        running_var  ← (1 − momentum)·running_var + momentum·σ²·m/(m − 1)   (unbiased)

    ``momentum=None`` gives the cumulative average over all batches seen instead.

    Args:
        num_features: C, the number of features (channels).
        eps: ε added to σ² (default 1e-5).
        momentum: weight of the newest batch in the running statistics (default 0.1).
        affine: learn γ and β (default True).
        track_running_stats: keep running statistics (default True); if False the batch
            statistics are used in evaluation too.

    Buffers: ``running_mean`` (C,), ``running_var`` (C,), ``num_batches_tracked`` ().

    Shape:
        (N, C) or (N, C, L) → same. Training needs more than one value per feature.

    >>> import mlplab as ml
    >>> bn = ml.nn.BatchNorm1d(2).double()
    >>> y = bn(ml.tensor([[1.0, 10.0], [3.0, 30.0]]))
    >>> y.data.round(3).tolist(), bn.running_mean.round(3).tolist()
    ([[-1.0, -1.0], [1.0, 1.0]], [0.2, 2.0])
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True,
                 dtype: DTypeLike | None = None) -> None:
        super().__init__()
        self.num_features = checks.check_positive_int(num_features, "num_features", "BatchNorm1d")
        self.eps = checks.check_number(eps, "eps", "BatchNorm1d", low=0.0, closed="right")
        self.momentum = None if momentum is None else checks.check_number(
            momentum, "momentum", "BatchNorm1d", low=0.0, high=1.0)
        self.affine = bool(affine)
        self.track_running_stats = bool(track_running_stats)
        dtype = get_default_dtype() if dtype is None else resolve_dtype(dtype)
        c = self.num_features
        if self.affine:
            self.weight = Parameter(xp.ones(c, dtype=dtype))
            self.bias = Parameter(xp.zeros(c, dtype=dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if self.track_running_stats:
            self.register_buffer("running_mean", xp.zeros(c, dtype=dtype))
            self.register_buffer("running_var", xp.ones(c, dtype=dtype))
            self.register_buffer("num_batches_tracked", xp.array(0, dtype=xp.int64))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean[...] = 0
            self.running_var[...] = 1
            self.num_batches_tracked[...] = 0

    def forward(self, input: Any) -> Tensor:
        x = as_tensor(input)
        if x.ndim not in (2, 3) or x.shape[1] != self.num_features:
            raise ShapeError(f"{self!r} got input of shape {x.shape}; expected (N, "
                             f"{self.num_features}) or (N, {self.num_features}, L)")
        if self.training and x.size // self.num_features <= 1:
            raise ValueError(
                f"{self!r} in training mode needs more than 1 value per feature to compute "
                f"batch statistics, got input of shape {x.shape}; use a batch of at least 2 "
                "examples, or call model.eval() to use the running statistics")
        if self.weight is not None and x.dtype != self.weight.dtype:
            x = x.astype(self.weight.dtype)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked += 1
            if self.momentum is None:  # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked)
        batch_stats = self.training or not self.track_running_stats
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                            training=batch_stats, momentum=factor, eps=self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")


class LayerNorm(Module):
    """Layer normalization (Ba et al., 2016): each example normalized over its own features.

        μ = mean of x over the last axes,   σ² = their (biased) variance,
        y = γ (x − μ)/√(σ² + ε) + β

    The statistics come from the example itself, so it behaves the same in training and
    evaluation and works with a batch of one (unlike BatchNorm).

    Args:
        normalized_shape: the trailing shape to normalize over (an int for the last axis).
        eps: ε (default 1e-5).
        elementwise_affine: learn γ (``weight``, ones) and β (``bias``, zeros) of shape
            ``normalized_shape`` (default True).
        bias: learn β (default True).

    Shape:
        (…, *normalized_shape) → same.

    >>> import mlplab as ml
    >>> ml.nn.LayerNorm(2)(ml.tensor([[1.0, 3.0], [10.0, 30.0]])).data.round(3).tolist()
    [[-1.0, 1.0], [-1.0, 1.0]]
    """

    def __init__(self, normalized_shape: int | tuple[int, ...], eps: float = 1e-5,
                 elementwise_affine: bool = True, bias: bool = True,
                 dtype: DTypeLike | None = None) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(
            normalized_shape)
        for n in shape:
            checks.check_positive_int(n, "normalized_shape", "LayerNorm")
        self.normalized_shape = tuple(int(n) for n in shape)
        self.eps = checks.check_number(eps, "eps", "LayerNorm", low=0.0, closed="right")
        self.elementwise_affine = bool(elementwise_affine)
        dtype = get_default_dtype() if dtype is None else resolve_dtype(dtype)
        if self.elementwise_affine:
            self.weight = Parameter(xp.ones(self.normalized_shape, dtype=dtype))
            if bias:
                self.bias = Parameter(xp.zeros(self.normalized_shape, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Any) -> Tensor:
        x = as_tensor(input)
        k = len(self.normalized_shape)
        if x.ndim < k or tuple(x.shape[x.ndim - k:]) != self.normalized_shape:
            raise ShapeError(f"{self!r} got input of shape {x.shape}; its last {k} axes must "
                             f"be {self.normalized_shape}")
        if self.weight is not None and x.dtype != self.weight.dtype:
            x = x.astype(self.weight.dtype)
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")
