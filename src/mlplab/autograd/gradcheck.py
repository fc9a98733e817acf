"""Gradient checking: compare every VJP with a two-sided (central) difference.

For each input θ and each of its elements θᵢ the numerical derivative is

    dθ_approx[i] = (J(θ₁, …, θᵢ + ε, …) − J(θ₁, …, θᵢ − ε, …)) / 2ε

and the analytic one, dθ, comes from ``backward``. They are compared with the
usual relative error

    ‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂)

read on a rule-of-thumb scale: below 1e-7 the gradient is almost surely right
("great"), above 1e-3 it is almost surely wrong ("wrong"), in between it needs a
look ("check"; usually a kink such as relu at 0 within ε of the input).

``fn`` may return a tensor of any shape. The scalar checked is J = ⟨v, f⟩ for a
random cotangent v (seeded): its gradient is the VJP vᵀJ_f, exactly what
``backward(v)`` computes, so one check covers every output element at once
(for a scalar output v = 1 and dθ is the plain gradient).

Use float64. Central differences lose about ``ulp(f) / ε`` to round-off: with
ε = 1e-6 that is ~1e-10 in float64 but ~1e-1 in float32 (float32 resolves only
~1e-7·|x|, so θ ± ε rounds and the difference is mostly noise). float32 inputs
are therefore refused unless ``allow_float32=True``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mlplab.autograd.grad_mode import enable_grad, no_grad
from mlplab.autograd.tensor import Tensor
from mlplab.backend import xp

GREAT = 1e-7
"""Relative error below which a gradient is almost surely right."""
WRONG = 1e-3
"""Relative error above which a gradient is almost surely wrong."""


def verdict(relative_error: float) -> str:
    """The reading of a relative error: 'great' (< 1e-7), 'check', or 'wrong' (> 1e-3)."""
    if not math.isfinite(relative_error) or relative_error > WRONG:
        return "wrong"
    return "great" if relative_error < GREAT else "check"


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck(..., raise_exception=True)`` when a gradient is wrong."""


@dataclass(frozen=True)
class InputCheck:
    """The comparison for one input θ.

    Attributes:
        position: index of the input in ``gradcheck(fn, *inputs)``.
        name: the input tensor's ``name`` (None if it had none).
        analytic: dθ from ``backward`` (shaped like the input).
        numeric: dθ_approx from central differences.
        relative_error: ‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂) (0 when both are 0).
        absolute_error: ‖dθ_approx − dθ‖₂.
        worst_index: the element where |dθ_approx − dθ| is largest.
        passed: relative_error ≤ rtol or absolute_error ≤ atol.
    """

    position: int
    name: str | None
    analytic: Any
    numeric: Any
    relative_error: float
    absolute_error: float
    worst_index: tuple[int, ...]
    passed: bool

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.analytic.shape)

    @property
    def verdict(self) -> str:
        return verdict(self.relative_error)

    @property
    def label(self) -> str:
        """'input 1', or "input 1 'w'" when the tensor has a name."""
        return f"input {self.position}" + (f" {self.name!r}" if self.name else "")

    def describe_worst(self) -> str:
        """'element (1, 2): analytic 0.5, numeric 1.0' for the worst element."""
        if self.analytic.size == 0:
            return "no elements"
        a = float(self.analytic[self.worst_index])
        n = float(self.numeric[self.worst_index])
        return f"element {self.worst_index}: analytic {a:.10g}, numeric {n:.10g}"


@dataclass(frozen=True)
class GradcheckResult:
    """Outcome of ``gradcheck``: ``ok``, ``max_relative_error``, one ``InputCheck`` per input.

    ``bool(result)`` is ``result.ok``; ``str(result)`` is the readable ``report()``.
    """

    function: str
    inputs: tuple[InputCheck, ...]
    eps: float
    rtol: float
    atol: float

    @property
    def ok(self) -> bool:
        return all(check.passed for check in self.inputs)

    @property
    def max_relative_error(self) -> float:
        return max((c.relative_error for c in self.inputs), default=0.0)

    @property
    def relative_errors(self) -> tuple[float, ...]:
        """The relative error of each checked input, in input order."""
        return tuple(c.relative_error for c in self.inputs)

    @property
    def worst(self) -> InputCheck | None:
        """The checked input with the largest relative error (failing inputs first)."""
        if not self.inputs:
            return None
        return max(self.inputs, key=lambda c: (not c.passed, _sortable(c.relative_error)))

    def __bool__(self) -> bool:
        return self.ok

    def report(self) -> str:
        """A few lines: the overall verdict, each input's error, the worst element."""
        status = "passed" if self.ok else "FAILED"
        lines = [
            f"gradcheck({self.function}) {status}: max relative error "
            f"{self.max_relative_error:.2e} ({verdict(self.max_relative_error)})",
            f"  scale: < {GREAT:.0e} great, > {WRONG:.0e} wrong; an input passes at relative "
            f"error ≤ rtol {self.rtol:.0e} or ‖error‖₂ ≤ atol {self.atol:.0e}; eps {self.eps:.0e}",
        ]
        for c in self.inputs:
            lines.append(
                f"  {c.label}, shape {c.shape}: relative error "
                f"{c.relative_error:.2e} ({c.verdict}), absolute {c.absolute_error:.2e}"
                + ("" if c.passed else "  <- FAILED")
            )
        worst = self.worst
        if worst is not None:
            lines.append(f"  worst: {worst.label}, {worst.describe_worst()}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


def _sortable(value: float) -> float:
    return math.inf if math.isnan(value) else value


def _as_leaf(value: Any) -> Tensor:
    """A fresh float leaf holding a copy of the input (perturbed in place by the check)."""
    data = value.data if isinstance(value, Tensor) else value
    name = value.name if isinstance(value, Tensor) else None
    return Tensor(xp.array(data, copy=True), requires_grad=True, name=name)


def _dtype_of(value: Any) -> Any:
    data = value.data if isinstance(value, Tensor) else value
    return data.dtype if hasattr(data, "dtype") else xp.asarray(data).dtype


def _refuse_low_precision(inputs: tuple[Any, ...], positions: list[int], eps: float) -> None:
    for k in positions:
        dtype = _dtype_of(inputs[k])
        if dtype.itemsize < 8:
            raise TypeError(
                f"gradcheck: input {k} is {dtype}, but central differences with eps={eps:g} need "
                f"float64 ({dtype} resolves only ~{float(xp.finfo(dtype).eps):.0e}·|x|, so "
                "θ ± ε rounds and round-off swamps the derivative); pass "
                "ml.tensor(x, dtype='float64'), or allow_float32=True with eps≈1e-3 and a "
                "tolerance near 1e-2"
            )


def _output(fn: Callable[..., Any], args: list[Any]) -> Any:
    out = fn(*args)
    if not isinstance(out, Tensor):
        out = Tensor(out)
    if out.data.dtype.kind != "f":
        raise TypeError(f"gradcheck: fn must return a floating-point tensor, got {out.data.dtype}")
    return out


def gradcheck(
    fn: Callable[..., Any],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-8,
    rtol: float = 1e-5,
    seed: int | xp.random.Generator | None = 0,
    raise_exception: bool = False,
    allow_float32: bool = False,
) -> GradcheckResult:
    """Check the gradients of ``fn`` at ``inputs`` against central differences.

    Args:
        fn: a function of tensors returning a tensor of any shape.
        *inputs: tensors, arrays or numbers. The inputs created with
            ``requires_grad=True`` are checked; if none is, every floating-point input is.
            The others are passed to ``fn`` unchanged.
        eps: ε of the two-sided difference (the usual choice, 1e-6, suits float64).
        atol: an input also passes when ‖dθ_approx − dθ‖₂ ≤ atol (gradients that are
            zero up to round-off have a meaningless relative error).
        rtol: an input passes when its relative error is ≤ rtol. The default 1e-5 sits
            between "great" (1e-7) and "wrong" (1e-3): smooth float64 functions
            land near 1e-9, a wrong rule near 1e-2 … 1.
        seed: seeds the random cotangent v (an int or a ``numpy.random.Generator``).
        raise_exception: raise ``GradcheckError`` with the report when the check fails.
        allow_float32: check float32/float16 inputs anyway (expect errors ~1e-3 or worse).

    Returns:
        a ``GradcheckResult`` (``.ok``, ``.max_relative_error``, ``.inputs``, ``.report()``).

    >>> import mlplab as ml
    >>> x = ml.tensor([0.5, -1.0, 2.0], dtype="float64", requires_grad=True)
    >>> ml.gradcheck(lambda x: (x * x.tanh()).sum(), x).ok
    True
    """
    positions = _checked_positions(inputs, eps, allow_float32)
    rng = seed if isinstance(seed, xp.random.Generator) else xp.random.default_rng(seed)
    leaves = {k: _as_leaf(inputs[k]) for k in positions}
    args = [leaves.get(k, x) for k, x in enumerate(inputs)]
    v = _backward_with_random_cotangent(fn, args, rng, allow_float32)
    projected = _projection(fn, args, v)
    compared = []
    for k in positions:
        leaf = leaves[k]
        analytic = (xp.zeros_like(leaf.data) if leaf.grad is None else leaf.grad).astype(xp.float64)
        numeric = _central_differences(leaf, projected, eps)
        compared.append(_compare(k, leaf.name, analytic, numeric, rtol, atol))
    name = getattr(fn, "__qualname__", repr(fn))
    result = GradcheckResult(name, tuple(compared), eps, rtol, atol)
    if raise_exception and not result.ok:
        raise GradcheckError(result.report())
    return result


def _checked_positions(inputs: tuple[Any, ...], eps: float, allow_float32: bool) -> list[int]:
    """Inputs that require grad (if none does, every floating-point one), checked usable."""
    if eps <= 0 or not math.isfinite(eps):
        raise ValueError(f"gradcheck: eps must be a small positive number, got {eps!r}; try 1e-6")
    wanted = [k for k, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    positions = wanted or [k for k, x in enumerate(inputs) if _dtype_of(x).kind == "f"]
    if not positions:
        raise ValueError("gradcheck: no floating-point input to check; pass at least one "
                         "float64 tensor (with requires_grad=True to choose which)")
    if not allow_float32:
        _refuse_low_precision(inputs, positions, eps)
    return positions


def _backward_with_random_cotangent(fn: Callable[..., Any], args: list[Any], rng: Any,
                                    allow_float32: bool) -> Any:
    """The analytic side: one backward pass with a random cotangent v gives vᵀJ for every
    input (in each leaf's ``.grad``). Returns v."""
    with enable_grad():
        out = _output(fn, args)
    if not bool(xp.all(xp.isfinite(out.data))):
        raise ValueError("gradcheck: fn returned inf or NaN at these inputs; choose a point "
                         "where fn is finite")
    if out.data.dtype.itemsize < 8 and not allow_float32:
        warnings.warn(f"gradcheck: fn returns {out.data.dtype} for float64 inputs; the numeric "
                      "gradient will be inaccurate. Keep the computation in float64.",
                      stacklevel=3)
    v = xp.ones(()) if out.data.size == 1 else rng.standard_normal(out.shape)
    v = xp.broadcast_to(v, out.shape).astype(out.data.dtype)
    if out.requires_grad:
        out.backward(v)
    return v


def _projection(fn: Callable[..., Any], args: list[Any], v: Any) -> Callable[[], float]:
    """J(θ) = ⟨v, f(θ)⟩, the scalar whose gradient is vᵀJ_f, as a function of the
    (perturbed in place) leaves; refuses an fn that is not deterministic."""
    def projected() -> float:
        with no_grad():
            return float(xp.sum(v * _output(fn, args).data))

    if projected() != projected():
        raise ValueError("gradcheck: fn gives different results on the same inputs (dropout or "
                         "other randomness?); gradient checking needs a deterministic fn, e.g. "
                         "call model.eval() first")
    return projected


def _central_differences(leaf: Tensor, projected: Callable[[], float], eps: float) -> Any:
    """dθ_approx[i] = (J(θ + εeᵢ) − J(θ − εeᵢ)) / 2ε for every element i of ``leaf``."""
    numeric = xp.zeros(leaf.shape, dtype=xp.float64)
    for index in xp.ndindex(*leaf.shape):
        original = leaf.data[index].copy()
        leaf.data[index] = original + eps
        step = leaf.data[index].copy()  # θᵢ + ε as stored (rounded)
        plus = projected()
        leaf.data[index] = original - eps
        step -= leaf.data[index]  # the 2ε actually taken, free of rounding in θ ± ε
        minus = projected()
        leaf.data[index] = original
        numeric[index] = (plus - minus) / float(step)
    return numeric


def _compare(position: int, name: str | None, analytic: Any, numeric: Any, rtol: float,
             atol: float) -> InputCheck:
    diff = numeric - analytic
    abs_err = float(xp.linalg.norm(diff.ravel()))
    scale = float(xp.linalg.norm(numeric.ravel()) + xp.linalg.norm(analytic.ravel()))
    if scale == 0.0:
        rel_err = 0.0
    elif math.isfinite(scale):
        rel_err = abs_err / scale
    else:
        rel_err = math.nan
    worst = (tuple(int(i) for i in xp.unravel_index(int(xp.nanargmax(xp.abs(diff))), diff.shape))
             if diff.size and not xp.all(xp.isnan(diff)) else (0,) * diff.ndim)
    passed = math.isfinite(rel_err) and (rel_err <= rtol or abs_err <= atol)
    return InputCheck(position, name, analytic, numeric, rel_err, abs_err, worst, passed)
