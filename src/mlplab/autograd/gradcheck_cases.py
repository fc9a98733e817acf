"""Inputs on which to gradcheck every registered primitive.

``mlplab gradcheck`` and the test suite walk ``REGISTRY`` and look each
primitive up here; a primitive without an entry is reported as unchecked (and
fails the tests). The core primitives' cases are below; a package that defines
primitives of its own registers their cases from a ``*_cases.py`` module beside
each op module (``mlplab/nn/functional/linear_cases.py`` for ``linear.py``), so
that this layer never imports a higher one::

    from mlplab.autograd.gradcheck_cases import add_cases
    add_cases("linear", [
        ("(5, 3) W(4, 3) + b(4,)", linear_op, [((5, 3), "normal"), ((4, 3), "normal"),
                                               ((4,), "normal")]),
    ])

Inputs are random float64 arrays from a seeded generator, with broadcasting
shapes for the binary ops, and kept away from the points where a derivative
is undefined (|x| ≥ 0.2 for relu and abs, positive inputs for log, sqrt and the
base of pow) so that central differences measure the rule, not the kink.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mlplab.autograd import ops
from mlplab.autograd.primitive import REGISTRY
from mlplab.autograd.tensor import Tensor
from mlplab.backend import xp

Sampler = Callable[[Any, tuple[int, ...]], Any]
Spec = tuple[tuple[int, ...], "Sampler | str"]


def _normal(rng: Any, shape: tuple[int, ...]) -> Any:
    return rng.standard_normal(shape)


def _positive(rng: Any, shape: tuple[int, ...]) -> Any:
    return rng.uniform(0.5, 2.0, shape)


def _away_from_zero(rng: Any, shape: tuple[int, ...]) -> Any:
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.2, 2.0, shape)


def _wide(rng: Any, shape: tuple[int, ...]) -> Any:
    return rng.uniform(-6.0, 6.0, shape)


SAMPLERS: dict[str, Sampler] = {
    "normal": _normal,  # N(0, 1)
    "positive": _positive,  # U(0.5, 2): log, sqrt, divisors, bases of pow
    "away_from_zero": _away_from_zero,  # ±U(0.2, 2): kinks at 0 (relu, abs)
    "wide": _wide,  # U(−6, 6): saturating activations
}


@dataclass(frozen=True)
class Case:
    """One gradcheck of one primitive: ``fn(*tensors)`` at ``inputs``."""

    primitive: str
    label: str
    fn: Callable[..., Tensor]
    inputs: tuple[Any, ...]


_MASK = xp.array([[True, False, True, False], [False, True, True, False],
                  [True, True, False, True]])

# name -> list of (label, fn, ((shape, sampler), ...)); fn receives tensors in that order.
_N, _P, _A = _normal, _positive, _away_from_zero
CASES: dict[str, list[tuple[str, Callable[..., Tensor], tuple[Spec, ...]]]] = {
    "add": [("(3, 4) + (4,)", ops.add, (((3, 4), _N), ((4,), _N))),
            ("(2, 1, 3) + (4, 1)", ops.add, (((2, 1, 3), _N), ((4, 1), _N)))],
    "sub": [("(3, 1) - (1, 4)", ops.sub, (((3, 1), _N), ((1, 4), _N))),
            ("() - (2, 3)", ops.sub, (((), _N), ((2, 3), _N)))],
    "mul": [("(3, 4) * (3, 1)", ops.mul, (((3, 4), _N), ((3, 1), _N))),
            ("(2, 3) * ()", ops.mul, (((2, 3), _N), ((), _N)))],
    "div": [("(3, 4) / (4,)", ops.div, (((3, 4), _N), ((4,), _P))),
            ("(2, 1) / (2, 3)", ops.div, (((2, 1), _N), ((2, 3), _P)))],
    "neg": [("-(3, 4)", ops.neg, (((3, 4), _N),))],
    "pow": [("(3, 4) ** (4,)", ops.power, (((3, 4), _P), ((4,), _N))),
            ("(3,) ** 3", lambda a: ops.power(a, 3.0), (((3,), _N),)),
            ("2 ** (2, 3)", lambda b: ops.power(2.0, b), (((2, 3), _N),))],
    "matmul": [("(3, 4) @ (4, 5)", ops.matmul, (((3, 4), _N), ((4, 5), _N))),
               ("(4,) @ (4,)", ops.matmul, (((4,), _N), ((4,), _N))),
               ("(3, 4) @ (4,)", ops.matmul, (((3, 4), _N), ((4,), _N))),
               ("(4,) @ (4, 5)", ops.matmul, (((4,), _N), ((4, 5), _N))),
               ("(2, 3, 4) @ (4, 5)", ops.matmul, (((2, 3, 4), _N), ((4, 5), _N))),
               ("(4,) @ (2, 4, 3)", ops.matmul, (((4,), _N), ((2, 4, 3), _N))),
               ("(2, 1, 3, 4) @ (3, 4, 2)", ops.matmul, (((2, 1, 3, 4), _N), ((3, 4, 2), _N)))],
    "cast": [("float64 -> float64", lambda x: ops.cast(x, dtype=xp.dtype("float64")),
              (((3, 4), _N),)),
             ("float64 -> longdouble",
              lambda x: ops.cast(x, dtype=xp.dtype(getattr(xp, "longdouble", "float64"))),
              (((3, 4), _N),))],
    "exp": [("(3, 4)", ops.exp, (((3, 4), _N),))],
    "log": [("(3, 4), x > 0", ops.log, (((3, 4), _P),))],
    "sqrt": [("(3, 4), x > 0", ops.sqrt, (((3, 4), _P),))],
    "abs": [("(3, 4), |x| >= 0.2", ops.abs, (((3, 4), _A),))],
    "relu": [("(3, 4), |x| >= 0.2", ops.relu, (((3, 4), _A),))],
    "sigmoid": [("(3, 4) in [-6, 6]", ops.sigmoid, (((3, 4), _wide),))],
    "tanh": [("(3, 4)", ops.tanh, (((3, 4), _N),))],
    "maximum": [("max((3, 4), (4,))", ops.maximum, (((3, 4), _N), ((4,), _N)))],
    "minimum": [("min((3, 1), (1, 4))", ops.minimum, (((3, 1), _N), ((1, 4), _N)))],
    "where": [("where(mask (3, 4), (3, 4), (4,))",
               lambda a, b: ops.where(Tensor(_MASK), a, b), (((3, 4), _N), ((4,), _N))),
              ("where(mask (3, 1), (1, 4), ())",
               lambda a, b: ops.where(Tensor(_MASK[:, :1]), a, b), (((1, 4), _N), ((), _N)))],
    "clip": [("clip (3, 4) to [-0.5, 0.5]", lambda x: ops.clip(x, low=-0.5, high=0.5),
              (((3, 4), _N),)),
             ("clip (5,) low=0", lambda x: ops.clip(x, low=0.0, high=None), (((5,), _A),))],
    "sum": [("all axes", lambda x: ops.sum(x), (((3, 4), _N),)),
            ("axis=1", lambda x: ops.sum(x, axis=1), (((3, 4), _N),)),
            ("axis=(0, 2), keepdims", lambda x: ops.sum(x, axis=(0, 2), keepdims=True),
             (((2, 3, 4), _N),))],
    "mean": [("all axes", lambda x: ops.mean(x), (((3, 4), _N),)),
             ("axis=-1, keepdims", lambda x: ops.mean(x, axis=-1, keepdims=True),
              (((2, 3, 4), _N),))],
    "max": [("all axes", lambda x: ops.max(x), (((3, 4), _N),)),
            ("axis=0, keepdims", lambda x: ops.max(x, axis=0, keepdims=True), (((3, 4), _N),))],
    "min": [("all axes", lambda x: ops.min(x), (((3, 4), _N),)),
            ("axis=-1", lambda x: ops.min(x, axis=-1), (((2, 3, 4), _N),))],
    "reshape": [("(3, 4) -> (2, 6)", lambda x: ops.reshape(x, shape=(2, 6)), (((3, 4), _N),)),
                ("(2, 3, 4) -> (4, -1)", lambda x: ops.reshape(x, shape=(4, -1)),
                 (((2, 3, 4), _N),))],
    "transpose": [("(3, 4).T", lambda x: ops.transpose(x, axes=None), (((3, 4), _N),)),
                  ("(2, 3, 4) axes (1, 2, 0)", lambda x: ops.transpose(x, axes=(1, 2, 0)),
                   (((2, 3, 4), _N),))],
    "getitem": [("x[1:, ::2]",
                 lambda x: ops.getitem(x, index=(slice(1, None), slice(None, None, 2))),
                 (((3, 4), _N),)),
                ("x[[0, 2, 0]] (repeats add up)",
                 lambda x: ops.getitem(x, index=(xp.array([0, 2, 0]),)), (((3, 4), _N),)),
                ("x[rows, cols] (pick one per row)",
                 lambda x: ops.getitem(x, index=(xp.arange(3), xp.array([1, 0, 3]))),
                 (((3, 4), _N),)),
                ("x[mask]", lambda x: ops.getitem(x, index=(x.data > 0,)), (((3, 4), _A),))],
    "concatenate": [("[(2, 3), (2, 1), (2, 2)] axis=1",
                     lambda a, b, c: ops.concatenate(a, b, c, axis=1),
                     (((2, 3), _N), ((2, 1), _N), ((2, 2), _N)))],
    "stack": [("[(2, 3), (2, 3)] axis=0", lambda a, b: ops.stack(a, b, axis=0),
               (((2, 3), _N), ((2, 3), _N))),
              ("[(4,), (4,), (4,)] axis=-1", lambda a, b, c: ops.stack(a, b, c, axis=-1),
               (((4,), _N), ((4,), _N), ((4,), _N)))],
    "logsumexp": [("axis=-1", lambda x: ops.logsumexp(x, axis=-1), (((3, 4), _N),)),
                  ("axis=0, keepdims", lambda x: ops.logsumexp(x, axis=0, keepdims=True),
                   (((3, 4), _N),))],
    "log_softmax": [("axis=-1", lambda x: ops.log_softmax(x, axis=-1), (((3, 4), _N),)),
                    ("axis=0", lambda x: ops.log_softmax(x, axis=0), (((3, 4), _N),))],
    "softmax": [("axis=-1", lambda x: ops.softmax(x, axis=-1), (((3, 4), _N),)),
                ("axis=0", lambda x: ops.softmax(x, axis=0), (((3, 4), _N),))],
}


def add_cases(primitive: str,
              entries: list[tuple[str, Callable[..., Tensor], Any]]) -> None:
    """Declare gradcheck inputs for ``primitive``: (label, fn, [(shape, sampler), ...]) each.

    ``fn`` receives one float64 tensor per (shape, sampler) pair; a sampler is a
    name in ``SAMPLERS`` or a function ``(rng, shape) -> array``.
    """
    for label, fn, specs in entries:
        for _shape, sampler in specs:
            if not (callable(sampler) or sampler in SAMPLERS):
                raise ValueError(f"add_cases({primitive!r}): unknown sampler {sampler!r}; "
                                 f"use one of {sorted(SAMPLERS)} or a function (rng, shape)")
        CASES.setdefault(primitive, []).append((label, fn, tuple(specs)))


def cases(seed: int = 0) -> list[Case]:
    """Every declared case, with float64 inputs drawn from ``default_rng(seed)``."""
    rng = xp.random.default_rng(seed)
    out = []
    for name, entries in CASES.items():
        for label, fn, specs in entries:
            inputs = tuple(
                xp.asarray((SAMPLERS[s] if isinstance(s, str) else s)(rng, tuple(shape)),
                           dtype=xp.float64)
                for shape, s in specs)
            out.append(Case(name, label, fn, inputs))
    return out


def unchecked_primitives() -> list[str]:
    """Registered primitives that have no case (each is a gap in the checking)."""
    return sorted(name for name in REGISTRY if name not in CASES)
