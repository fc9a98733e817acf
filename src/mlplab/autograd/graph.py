"""Seeing the computational graph: Graphviz DOT text of what a forward pass recorded.

Each tensor is a box (its name, shape, value when small, and ∂f/∂node once
``backward`` has filled ``.grad``); each primitive call is an ellipse between
its inputs and its output, as in the classic drawing of f = x(x + y):

    x ──► add ──► z = x + y ──► mul ──► f
    y ──►               x ─────►

Intermediate tensors drop their gradient after ``backward`` (as in PyTorch)
unless marked; ``retain_grads(f)`` marks the whole graph so that every node
shows ∂f/∂node.

>>> import mlplab as ml
>>> x = ml.tensor(2.0, requires_grad=True, name="x")
>>> y = ml.tensor(1.0, requires_grad=True, name="y")
>>> f = retain_grads(x * (x + y)); f.backward()
>>> print(to_dot(f).splitlines()[0])
digraph mlplab {
"""

from __future__ import annotations

from typing import Any

from mlplab.autograd.tensor import Tensor
from mlplab.backend import xp

_SHOWN_ELEMENTS = 4  # arrays up to this size are printed in full in a node


def nodes(root: Tensor) -> list[Tensor]:
    """Every tensor of the graph under ``root`` (constants included), inputs before outputs.

    Iterative depth-first search, so a chain of 10,000 operations is fine.
    """
    order: list[Tensor] = []
    visited: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for parent in reversed(node._inputs):
            if id(parent) not in visited:
                stack.append((parent, False))
    return order


def retain_grads(root: Tensor) -> Tensor:
    """Mark every intermediate tensor under ``root`` to keep ``.grad`` after backward.

    Call it after the forward pass and before ``backward``; returns ``root``.
    """
    for node in nodes(root):
        if node._prim is not None:
            node.retain_grad()
    return root


def op_label(node: Tensor) -> str:
    """The primitive that produced ``node`` with its parameters, e.g. ``sum axis=1``."""
    if node._prim is None:
        return ""
    params = " ".join(f"{k}={_short(v)}" for k, v in (node._params or {}).items()
                      if v is not None and k not in ("dtype", "residual"))
    if node._params and node._params.get("dtype") is not None:
        params = (params + f" to {xp.dtype(node._params['dtype'])}").strip()
    return f"{node._prim.name} {params}".strip()


def format_array(data: Any) -> str:
    """A value for a node label: scalars with 4 significant digits, small arrays in full."""
    if data.size == 1:
        return f"{data.item():.4g}" if data.dtype.kind in "fc" else str(data.item())
    if data.size <= _SHOWN_ELEMENTS:
        return xp.array2string(data, precision=4, separator=", ", suppress_small=True)
    return ""


def to_dot(tensor: Tensor, show_values: bool = True, show_grads: bool = True) -> str:
    """Graphviz DOT of the graph recorded under ``tensor``.

    Args:
        tensor: the output whose graph to draw (usually a loss or f).
        show_values: print scalar (and tiny) values in the tensor boxes.
        show_grads: print ``.grad`` (∂f/∂node) where it is set — leaves after
            ``backward``, intermediates too after ``retain_grads``.

    Returns:
        the DOT text; render it with ``dot -Tsvg`` or ``mlplab graph ... --out g.svg``.
        Leaves that require grad are blue, constants grey and dashed, the output bold.
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"to_dot: expected an mlplab Tensor, got {type(tensor).__name__}")
    graph = nodes(tensor)
    ids = {id(t): f"t{k}" for k, t in enumerate(graph)}
    lines = [
        "digraph mlplab {",
        "  rankdir=LR;",
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
    ]
    for t in graph:
        lines.append(f"  {ids[id(t)]} [{_tensor_style(t, t is tensor)}, "
                     f'label="{_tensor_label(t, show_values, show_grads)}"];')
        if t._prim is None:
            continue
        op = f"op{ids[id(t)][1:]}"
        lines.append(f'  {op} [shape=ellipse, style=filled, fillcolor="#fde68a", '
                     f'label="{_escape(op_label(t))}"];')
        several = len(t._inputs) > 1
        for position, parent in enumerate(t._inputs):
            label = f' [label="{position}"]' if several else ""
            lines.append(f"  {ids[id(parent)]} -> {op}{label};")
        lines.append(f"  {op} -> {ids[id(t)]};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _tensor_style(t: Tensor, is_root: bool) -> str:
    if t._prim is None and t.requires_grad:
        style = 'shape=box, style="rounded,filled", fillcolor="#dbeafe"'
    elif t._prim is None:
        style = 'shape=box, style="rounded,dashed", color="#888888", fontcolor="#555555"'
    else:
        style = "shape=box, style=rounded"
    return style + (", penwidth=2.5" if is_root else "")


def _tensor_label(t: Tensor, show_values: bool, show_grads: bool) -> str:
    lines = []
    if t.name:
        lines.append(t.name)
    elif t._prim is None and not t.requires_grad:
        lines.append("const")
    if t.ndim:
        lines.append(f"shape {t.shape}")
    if show_values:
        value = format_array(t.data)
        if value:
            lines.append(f"= {value}")
    if show_grads and t.grad is not None:
        grad = format_array(xp.asarray(t.grad))
        lines.append(f"grad {grad}" if grad else "grad ✓")
    return "\\n".join(_escape(line) for line in lines) or " "


def _short(value: Any, limit: int = 24) -> str:
    text = repr(value) if not isinstance(value, xp.ndarray) else (
        f"array{value.shape}" if value.size > 6 else str(value.tolist()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escape(text: str) -> str:
    """Make text safe inside a double-quoted DOT string."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
