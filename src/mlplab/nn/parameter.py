"""``Parameter``: a tensor that a module owns and an optimizer updates."""

from __future__ import annotations

from typing import Any

from mlplab.autograd.tensor import Tensor
from mlplab.backend import DTypeLike, get_default_dtype


class Parameter(Tensor):
    """A learnable tensor: ``requires_grad=True`` and registered by ``Module`` on assignment.

    Its ``data`` is updated in place by optimizers (``p.data -= lr * p.grad`` keeps the
    same array), so views and references to it stay valid. One exception: when every
    parameter of a model is small, ``Trainer``'s first step copies them all into one
    array and makes each ``data`` a view of it, so that one update covers them all
    (``mlplab/optim/flat_step.py``); references taken after that step stay valid.

    >>> import mlplab as ml
    >>> w = ml.nn.Parameter([[0.5, -0.5]])
    >>> w.requires_grad, w.shape
    (True, (1, 2))
    """

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True, dtype: DTypeLike | None = None,
                 name: str | None = None) -> None:
        if dtype is None and not hasattr(data, "dtype"):
            dtype = get_default_dtype()
        super().__init__(data, requires_grad=requires_grad, dtype=dtype, name=name)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
