"""Shape primitives: reshape, transpose, indexing, concatenate, stack.

They move values without changing them, so each VJP moves the gradient back:
reshape it, transpose it with the inverse permutation, scatter-add it into the
indexed places (an element picked twice receives both gradients), split it.
"""

from __future__ import annotations

from mlplab.autograd.primitive import Primitive
from mlplab.backend import xp

reshape = Primitive(
    "reshape",
    forward=lambda x, shape: xp.reshape(x, shape),
    vjps=(lambda g, out, x, shape: xp.reshape(g, x.shape),),
    jvp=lambda t, out, x, shape: xp.reshape(t[0], shape),
)


def _inverse(axes):
    return None if axes is None else tuple(xp.argsort(axes))


transpose = Primitive(
    "transpose",
    forward=lambda x, axes=None: xp.transpose(x, axes),
    vjps=(lambda g, out, x, axes=None: xp.transpose(g, _inverse(axes)),),
    jvp=lambda t, out, x, axes=None: xp.transpose(t[0], axes),
)


def _is_advanced(index) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(p, xp.ndarray | list) for p in parts)


def _getitem_vjp(g, out, x, index):
    grad = xp.zeros(x.shape, dtype=g.dtype)
    if _is_advanced(index):
        xp.add.at(grad, index, g)  # repeated integer indices must add up, not overwrite
    else:
        grad[index] = g
    return grad


def _getitem_explain(x, index) -> str:
    return f"indexing: index {index!r} does not fit a tensor of shape {x.shape}"


# y = x[index] (basic slicing and integer-array indexing)
getitem = Primitive(
    "getitem",
    forward=lambda x, index: x[index],
    vjps=(_getitem_vjp,),
    jvp=lambda t, out, x, index: t[0][index],
    explain=_getitem_explain,
)


def _split_points(arrays, axis):
    sizes = [a.shape[axis] for a in arrays]
    return list(xp.cumsum(sizes)[:-1])


def _concatenate_explain(*arrays, axis=0) -> str:
    shapes = ", ".join(str(a.shape) for a in arrays)
    return f"concatenate: shapes {shapes} differ outside axis {axis}"


def _make_concat_vjp(position):
    def vjp(g, out, *arrays, axis=0):
        return xp.split(g, _split_points(arrays, axis), axis=axis)[position]
    return vjp


def _make_stack_vjp(position):
    def vjp(g, out, *arrays, axis=0):
        return xp.take(g, position, axis=axis)
    return vjp


class _VariadicVJPs:
    """VJP table for ops taking any number of inputs: entry k is made on demand."""

    def __init__(self, factory):
        self._factory = factory
        self._cache = {}

    def __getitem__(self, k):
        if k not in self._cache:
            self._cache[k] = self._factory(k)
        return self._cache[k]

    def __iter__(self):  # the table is unbounded; gradcheck asks by index
        raise TypeError("variadic VJP table")


concatenate = Primitive(
    "concatenate",
    forward=lambda *arrays, axis=0: xp.concatenate(arrays, axis=axis),
    vjps=(),
    jvp=lambda t, out, *arrays, axis=0: xp.concatenate(
        [xp.zeros_like(a) if ti is None else ti for ti, a in zip(t, arrays, strict=True)],
        axis=axis),
    explain=_concatenate_explain,
)
concatenate.vjps = _VariadicVJPs(_make_concat_vjp)

stack = Primitive(
    "stack",
    forward=lambda *arrays, axis=0: xp.stack(arrays, axis=axis),
    vjps=(),
    jvp=lambda t, out, *arrays, axis=0: xp.stack(
        [xp.zeros_like(a) if ti is None else ti for ti, a in zip(t, arrays, strict=True)],
        axis=axis),
    explain=lambda *arrays, axis=0: "stack: all inputs need the same shape, got "
    + ", ".join(str(a.shape) for a in arrays),
)
stack.vjps = _VariadicVJPs(_make_stack_vjp)
