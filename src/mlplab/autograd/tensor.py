"""``Tensor``: an array that remembers how it was computed, so gradients can flow back.

A tensor holds ``data`` (an ndarray), ``grad`` (∂L/∂data after ``backward``, or None)
and, when it was produced by a primitive while gradients were recorded, a link to
that primitive and its inputs: one node of the computational graph.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from mlplab.backend import DTypeLike, get_default_dtype, is_floating, resolve_dtype, xp
from mlplab.checks import ParameterError, is_sparse, shown

_creation_counter = itertools.count()
"""Every tensor gets the next number when created. An op's output is always created
after its inputs, so reverse creation order is a valid order for the backward sweep."""
next_sequence_number = _creation_counter.__next__


def _to_array(data: Any, dtype: DTypeLike | None) -> Any:
    """Convert user data: Python numbers and lists become the default float dtype."""
    if isinstance(data, Tensor):
        data = data.data
    if is_sparse(data):
        return data if dtype is None else data.astype(resolve_dtype(dtype))
    if dtype is not None:
        return xp.asarray(data, dtype=resolve_dtype(dtype))
    array = xp.asarray(data)
    if array.dtype.kind not in "biufc":  # strings, objects: nothing to differentiate
        raise ParameterError(f"tensor: data must be numbers, got {shown(data)} (dtype "
                             f"{array.dtype}); convert them to dtype='float32' or 'float64' "
                             "first, e.g. ml.tensor([1.0, 2.0])")
    if isinstance(data, xp.ndarray | xp.generic):
        return array
    if array.dtype.kind in "iuf":  # Python numbers: learners write x = tensor(2)
        array = array.astype(get_default_dtype())
    return array


class Tensor:
    """An n-dimensional array with reverse-mode automatic differentiation.

    Args:
        data: array-like (nested lists, NumPy array, scalar). Python numbers get the
            default float dtype (float32 unless ``ml.set_default_dtype`` changed it);
            NumPy arrays keep their dtype unless ``dtype`` is given.
        requires_grad: record operations on this tensor so ``backward`` fills ``.grad``.
        dtype: a NumPy dtype or its name ("float64").

    >>> import mlplab as ml
    >>> x = ml.tensor(2.0, requires_grad=True); y = ml.tensor(1.0, requires_grad=True)
    >>> f = x * (x + y)       # a small computational graph: f = x(x + y)
    >>> f.backward()
    >>> float(x.grad), float(y.grad)   # ∂f/∂x = 2x + y, ∂f/∂y = x
    (5.0, 2.0)
    """

    __slots__ = ("data", "grad", "requires_grad", "name", "_prim", "_inputs", "_params",
                 "_retain", "_seq", "__weakref__")
    __array_priority__ = 1000  # ndarray (op) Tensor defers to Tensor's reflected operator

    def __init__(self, data: Any, requires_grad: bool = False, dtype: DTypeLike | None = None,
                 name: str | None = None) -> None:
        self.data = _to_array(data, dtype)
        self.grad = None
        self.name = name
        self._prim = None
        self._inputs: tuple[Tensor, ...] = ()
        self._params = None
        self._retain = False
        self._seq = next_sequence_number()
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # ----- basic properties ---------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        if is_sparse(self.data):
            return int(self.data.shape[0] * self.data.shape[1])
        return int(self.data.size)

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        """True for tensors the user created (not produced by an op that records a graph)."""
        return self._prim is None

    @property
    def T(self) -> Tensor:
        """Transpose (reverses the axes)."""
        return self.transpose()

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        body = xp.array2string(self.data, separator=", ", prefix="tensor(") if not is_sparse(
            self.data) else f"<sparse {self.data.shape}, nnz={self.data.nnz}>"
        extras = []
        if self.data.dtype != get_default_dtype():
            extras.append(f"dtype={self.data.dtype}")
        if self._prim is not None:
            extras.append(f"grad_fn={self._prim.name}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + body + "".join(", " + e for e in extras) + ")"

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def __float__(self) -> float:
        return float(self.data)

    def __int__(self) -> int:
        return int(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def item(self) -> float:
        """The value of a one-element tensor as a Python number."""
        return self.data.item()

    def numpy(self) -> Any:
        """The underlying ndarray (shared, not copied). Use ``.detach()`` first for a copy-free
        view that is cut from the graph, or ``.numpy().copy()`` to own the values."""
        return self.data

    def tolist(self) -> Any:
        return self.data.tolist()

    # ----- gradient bookkeeping -----------------------------------------------------
    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Turn gradient recording for this leaf on or off (in place)."""
        if requires_grad and not is_floating(self.data.dtype):
            raise TypeError(
                f"only floating-point tensors can require gradients, but this one has dtype "
                f"{self.data.dtype}; create it with dtype='float32' or 'float64'"
            )
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self) -> Tensor:
        """Keep ``.grad`` on this intermediate tensor after ``backward`` (leaves always keep it)."""
        self._retain = True
        return self

    def detach(self) -> Tensor:
        """A tensor sharing the same data, cut from the graph (no gradient flows through it)."""
        return Tensor(self.data)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient."""
        self.grad = None

    def backward(self, grad: Any = None) -> None:
        """Back-propagate: fill ``.grad`` of every leaf that requires grad with ∂self/∂leaf.

        For a scalar (a loss) ``grad`` defaults to 1. For a non-scalar tensor pass
        ``grad`` (same shape): the result is then the vector-Jacobian product gᵀJ.
        Gradients add up across calls, as in PyTorch: call ``zero_grad`` between steps.
        """
        from mlplab.autograd.engine import backward

        backward(self, grad)

    # ----- arithmetic operators (each one primitive of autograd/ops) -------------------
    def __add__(self, other: Any) -> Tensor:
        """self + other (broadcasting)."""
        return ops.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        """other + self."""
        return ops.add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        """self − other."""
        return ops.sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        """other − self."""
        return ops.sub(other, self)

    def __mul__(self, other: Any) -> Tensor:
        """Elementwise self · other."""
        return ops.mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        """Elementwise other · self."""
        return ops.mul(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        """Elementwise self / other."""
        return ops.div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        """Elementwise other / self."""
        return ops.div(other, self)

    def __pow__(self, other: Any) -> Tensor:
        """Elementwise self ** other."""
        return ops.power(self, other)

    def __rpow__(self, other: Any) -> Tensor:
        """Elementwise other ** self."""
        return ops.power(other, self)

    def __matmul__(self, other: Any) -> Tensor:
        """Matrix product self @ other."""
        return ops.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        """Matrix product other @ self."""
        return ops.matmul(other, self)

    def __neg__(self) -> Tensor:
        """−self."""
        return ops.neg(self)

    def __pos__(self) -> Tensor:
        """+self is self."""
        return self

    def __abs__(self) -> Tensor:
        """|self|, elementwise."""
        return ops.abs(self)

    # ----- comparisons: plain boolean tensors, never differentiated ---------------------
    def __lt__(self, other: Any) -> Tensor:
        return Tensor(self.data < _plain(other))

    def __le__(self, other: Any) -> Tensor:
        return Tensor(self.data <= _plain(other))

    def __gt__(self, other: Any) -> Tensor:
        return Tensor(self.data > _plain(other))

    def __ge__(self, other: Any) -> Tensor:
        return Tensor(self.data >= _plain(other))

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return Tensor(self.data == _plain(other))

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return Tensor(self.data != _plain(other))

    # Tensors are graph nodes and dictionary keys (optimizer state): hash by identity,
    # with object's C-level hash (a Python-level __hash__ costs a call per lookup).
    __hash__ = object.__hash__

    def __getitem__(self, index: Any) -> Tensor:
        """self[index]: NumPy indexing; the gradient is scattered back (repeats add up)."""
        index = fn.plain(index)
        if isinstance(index, list):
            index = (index,)
        return ops.getitem(self, index=index)

    # ----- elementwise functions --------------------------------------------------------
    def exp(self) -> Tensor:
        """eˣ, elementwise."""
        return ops.exp(self)

    def log(self) -> Tensor:
        """Natural logarithm ln x, elementwise."""
        return ops.log(self)

    def sqrt(self) -> Tensor:
        """√x, elementwise."""
        return ops.sqrt(self)

    def abs(self) -> Tensor:
        """|x|, elementwise."""
        return ops.abs(self)

    def relu(self) -> Tensor:
        """max(0, x), elementwise."""
        return ops.relu(self)

    def sigmoid(self) -> Tensor:
        """σ(x) = 1 / (1 + e⁻ˣ), elementwise."""
        return ops.sigmoid(self)

    def tanh(self) -> Tensor:
        """tanh x, elementwise."""
        return ops.tanh(self)

    def clip(self, low: float | None = None, high: float | None = None) -> Tensor:
        """min(max(x, low), high); the gradient passes where low ≤ x ≤ high."""
        return fn.clip(self, low, high)

    # ----- reductions and softmax along an axis ----------------------------------------
    def sum(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """Σ over ``axis`` (all axes by default)."""
        return fn.sum(self, axis, keepdims)

    def mean(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis`` (all axes by default)."""
        return fn.mean(self, axis, keepdims)

    def max(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """Largest value over ``axis``; ties share the gradient."""
        return fn.max(self, axis, keepdims)

    def min(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """Smallest value over ``axis``; ties share the gradient."""
        return fn.min(self, axis, keepdims)

    def var(self, axis: Any = None, keepdims: bool = False, ddof: int = 0) -> Tensor:
        """Variance (1/(N − ddof)) Σ (x − x̄)² over ``axis``."""
        return fn.var(self, axis, keepdims, ddof)

    def logsumexp(self, axis: int = -1, keepdims: bool = False) -> Tensor:
        """log Σ exp(x) along ``axis``, computed without overflow."""
        return ops.logsumexp(self, axis=axis, keepdims=keepdims)

    def log_softmax(self, axis: int = -1) -> Tensor:
        """x − logsumexp(x) along ``axis``."""
        return ops.log_softmax(self, axis=axis)

    def softmax(self, axis: int = -1) -> Tensor:
        """eˣ / Σ eˣ along ``axis``."""
        return ops.softmax(self, axis=axis)

    # ----- shape ------------------------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        """The same values in another shape: ``x.reshape(2, 3)`` or ``x.reshape((2, 3))``."""
        return fn.reshape(self, *shape)

    def transpose(self, *axes: Any) -> Tensor:
        """Permute the axes (reverse them when none are given)."""
        if len(axes) == 1 and isinstance(axes[0], tuple | list):
            axes = tuple(axes[0])
        return fn.transpose(self, axes or None)

    # ----- dtype casts ----------------------------------------------------------------
    def astype(self, dtype: DTypeLike) -> Tensor:
        """A copy with another dtype (differentiable: the gradient is cast back)."""
        from mlplab.autograd.ops import cast

        return cast(self, dtype=resolve_dtype(dtype))

    def float(self) -> Tensor:
        return self.astype("float32")

    def double(self) -> Tensor:
        return self.astype("float64")


def tensor(data: Any, requires_grad: bool = False, dtype: DTypeLike | None = None,
           name: str | None = None) -> Tensor:
    """Create a tensor (see ``Tensor``)."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)


def as_tensor(value: Any, siblings: Sequence[Any] = ()) -> Tensor:
    """``value`` itself if it is a Tensor, else a new constant Tensor holding it.

    A Python number takes the floating dtype of the first floating Tensor in
    ``siblings`` (the other operands of an op), so ``x * 2`` stays float32.
    """
    if isinstance(value, Tensor):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        for s in siblings:
            if isinstance(s, Tensor) and s.data.dtype.kind == "f":
                return Tensor(xp.asarray(value, dtype=s.data.dtype))
    return Tensor(value)


def _plain(value: Any) -> Any:
    """The array of a tensor operand of a comparison (comparisons are not differentiated)."""
    return value.data if isinstance(value, Tensor) else value


# The ops create Tensors, so they are imported once Tensor exists; the methods above
# look them up when called.
from mlplab.autograd import functions as fn  # noqa: E402
from mlplab.autograd import ops  # noqa: E402
