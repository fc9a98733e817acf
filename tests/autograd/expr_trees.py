"""Random expression trees over broadcasting inputs, evaluable by mlplab and by PyTorch.

A tree is a nested tuple:
    ("var", k)                      the k-th input
    ("const", c)                    a number
    ("unary", name, child)          name in UNARY
    ("binary", name, left, right)   name in BINARY (operands broadcast)
    ("reduce", name, axis, child)   name in REDUCE, over ``axis`` (None: all) with keepdims

Each op keeps its inputs in its domain by composition (log(|a| + 0.5), a / (|b| + 0.5),
exp(tanh a)), so both libraries see the same finite function; kinks (abs, relu,
maximum at ties) follow the same convention in both (PyTorch's).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

UNARY = ("neg", "exp", "log", "sqrt", "abs", "relu", "sigmoid", "tanh", "square")
BINARY = ("add", "sub", "mul", "div", "pow", "maximum", "minimum")
REDUCE = ("sum", "mean", "max")


def _mlplab_ops() -> dict[str, Any]:
    import mlplab as ml

    def safe(a: Any) -> Any:
        return ml.abs(a) + 0.5

    return {
        "neg": lambda a: -a,
        "exp": lambda a: ml.exp(ml.tanh(a)),
        "log": lambda a: ml.log(safe(a)),
        "sqrt": lambda a: ml.sqrt(safe(a)),
        "abs": ml.abs,
        "relu": ml.relu,
        "sigmoid": ml.sigmoid,
        "tanh": ml.tanh,
        "square": lambda a: a ** 2,
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div": lambda a, b: a / safe(b),
        "pow": lambda a, b: safe(a) ** ml.tanh(b),
        "maximum": ml.maximum,
        "minimum": ml.minimum,
        "sum": lambda a, axis: a.sum(axis=axis, keepdims=True),
        "mean": lambda a, axis: a.mean(axis=axis, keepdims=True),
        "max": lambda a, axis: a.max(axis=axis, keepdims=True),
    }


def _torch_ops() -> dict[str, Any]:
    import torch

    def safe(a: Any) -> Any:
        return torch.abs(a) + 0.5

    def dims(a: Any, axis: Any) -> Any:
        return tuple(range(a.ndim)) if axis is None else axis

    return {
        "neg": lambda a: -a,
        "exp": lambda a: torch.exp(torch.tanh(a)),
        "log": lambda a: torch.log(safe(a)),
        "sqrt": lambda a: torch.sqrt(safe(a)),
        "abs": torch.abs,
        "relu": torch.relu,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "square": lambda a: a ** 2,
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div": lambda a, b: a / safe(b),
        "pow": lambda a, b: safe(a) ** torch.tanh(b),
        "maximum": torch.maximum,
        "minimum": torch.minimum,
        "sum": lambda a, axis: a.sum(dim=dims(a, axis), keepdim=True) if a.ndim else a,
        "mean": lambda a, axis: a.mean(dim=dims(a, axis), keepdim=True) if a.ndim else a,
        "max": lambda a, axis: torch.amax(a, dim=dims(a, axis), keepdim=True) if a.ndim else a,
    }


def evaluate(tree: tuple, inputs: list[Any], ops: dict[str, Any], const: Any) -> Any:
    """Evaluate ``tree`` with ``ops`` (mlplab's or torch's); ``const`` wraps numbers."""
    kind = tree[0]
    if kind == "var":
        return inputs[tree[1]]
    if kind == "const":
        return const(tree[1])
    if kind == "unary":
        return ops[tree[1]](evaluate(tree[2], inputs, ops, const))
    if kind == "binary":
        return ops[tree[1]](evaluate(tree[2], inputs, ops, const),
                            evaluate(tree[3], inputs, ops, const))
    child = evaluate(tree[3], inputs, ops, const)
    axis = tree[2]
    if axis is not None and child.ndim == 0:
        return child
    if axis is not None:
        axis = axis % child.ndim
    return ops[tree[1]](child, axis)


def mlplab_function(tree: tuple) -> Any:
    """tree → f(*tensors) built from mlplab ops (constants in the inputs' dtype)."""
    import mlplab as ml

    ops = _mlplab_ops()
    return lambda *xs: evaluate(tree, list(xs), ops,
                                lambda c: ml.tensor(c, dtype=xs[0].dtype if xs else None))


def torch_function(tree: tuple) -> Any:
    import torch

    ops = _torch_ops()
    return lambda *xs: evaluate(tree, list(xs), ops,
                                lambda c: torch.tensor(c, dtype=torch.float64))


def trees(n_inputs: int, max_leaves: int = 10) -> st.SearchStrategy:
    """Hypothesis strategy for trees over ``n_inputs`` variables."""
    leaves = st.one_of(
        st.builds(lambda k: ("var", k), st.integers(0, n_inputs - 1)),
        st.builds(lambda c: ("const", c), st.floats(-2.0, 2.0, allow_nan=False).map(
            lambda c: round(c, 3))),
    )

    def extend(children: st.SearchStrategy) -> st.SearchStrategy:
        return st.one_of(
            st.tuples(st.just("unary"), st.sampled_from(UNARY), children),
            st.tuples(st.just("binary"), st.sampled_from(BINARY), children, children),
            st.tuples(st.just("reduce"), st.sampled_from(REDUCE),
                      st.sampled_from([None, 0, -1]), children),
        )

    return st.recursive(leaves, extend, max_leaves=max_leaves)


@st.composite
def broadcast_shapes(draw: Any, n: int) -> list[tuple[int, ...]]:
    """``n`` shapes that broadcast together: a base shape with axes dropped or set to 1."""
    base = draw(st.lists(st.integers(1, 3), min_size=0, max_size=3))
    shapes = []
    for _ in range(n):
        keep = draw(st.integers(0, len(base)))
        shape = [d if draw(st.booleans()) else 1 for d in base[len(base) - keep:]]
        shapes.append(tuple(shape))
    return shapes


def arrays(shapes: list[tuple[int, ...]], seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape) for shape in shapes]
