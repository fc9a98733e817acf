"""``mlplab demo``: the autograd engine on two worked graphs, checked, then XOR learned.

1. f = x(x + y) at x = 2, y = 1: every node's value and ∂f/∂node (6, 5, 2).
2. f = x·e^{(3x)·max(x, y)}: autograd against the hand-derived gradient.
3. Forward mode (one sweep per input) against reverse mode (one sweep for all).
4. gradcheck of both examples in float64.
5. A 2-2-1 network (tanh hidden layer, sigmoid output, cross-entropy) trained on
   XOR with plain tensors and gradient descent: z = W a + b, a = g(z), W := W − α dW.
"""

from __future__ import annotations

import math
from typing import Any

import typer

XOR_X = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
XOR_Y = (0.0, 1.0, 1.0, 0.0)


def train_xor(seed: int = 0, steps: int = 1500, lr: float = 1.0,
              stall_check: tuple[int, float] | None = None) -> dict[str, Any]:
    """Train a 2-2-1 network (the smallest that can fit XOR) on XOR by full-batch gradient descent.

    Forward (rows are examples): A¹ = tanh(X W¹ᵀ + b¹), ŷ = σ(A¹ W²ᵀ + b²);
    loss L = −(1/m) Σ [y ln ŷ + (1 − y) ln(1 − ŷ)]; update W := W − α ∂L/∂W.

    The loss is not convex: from some initial weights a network this small
    settles in a local minimum (one XOR case stays at ŷ ≈ 0.5). With
    ``stall_check=(step, loss)`` training stops early when the loss at ``step``
    is still above ``loss`` and the result has ``stalled=True``.

    Returns a dict with the final ``predictions`` (ndarray of ŷ), the ``losses``
    (list, one per step), the learned ``params`` and ``stalled``.
    """
    import numpy as np

    import mlplab as ml

    rng = np.random.default_rng(seed)
    X = ml.tensor(np.array(XOR_X))
    y = ml.tensor(np.array(XOR_Y).reshape(4, 1))
    params = {  # W ~ N(0, 1): a 2-unit layer needs large enough weights to break symmetry
        "W1": ml.tensor(rng.standard_normal((2, 2)), requires_grad=True, dtype="float32"),
        "b1": ml.tensor(np.zeros(2), requires_grad=True, dtype="float32"),
        "W2": ml.tensor(rng.standard_normal((1, 2)), requires_grad=True, dtype="float32"),
        "b2": ml.tensor(np.zeros(1), requires_grad=True, dtype="float32"),
    }
    W1, b1, W2, b2 = params.values()

    def forward() -> Any:
        a1 = (X @ W1.T + b1).tanh()
        return (a1 @ W2.T + b2).sigmoid()

    losses: list[float] = []
    stalled = False
    for step in range(1, steps + 1):
        y_hat = forward()
        loss = -(y * y_hat.log() + (1 - y) * (1 - y_hat).log()).mean()
        for p in params.values():
            p.zero_grad()
        loss.backward()
        with ml.no_grad():
            for p in params.values():
                p.data -= lr * p.grad
        losses.append(float(loss))
        if stall_check is not None and step == stall_check[0] and losses[-1] > stall_check[1]:
            stalled = True
            break
    with ml.no_grad():
        predictions = forward().numpy().ravel()
    return {"predictions": predictions, "losses": losses, "params": params, "stalled": stalled}


def _section(console: Any, title: str) -> None:
    console.rule(f"[bold]{title}")


def _example_one(console: Any, Table: Any) -> None:
    import mlplab as ml

    _section(console, "1. f = x(x + y) at x = 2, y = 1 (two paths from x to f)")
    x = ml.tensor(2.0, requires_grad=True, name="x")
    y = ml.tensor(1.0, requires_grad=True, name="y")
    z = x + y
    z.name = "z = x + y"
    f = x * z
    f.name = "f = x·z"
    ml.graph.retain_grads(f)
    f.backward()
    table = Table("node", "op", "value", "∂f/∂node")
    for node in ml.graph.nodes(f):
        table.add_row(node.name, ml.graph.op_label(node) or "input",
                      f"{float(node.data):g}", f"{float(node.grad):g}")
    console.print(table)
    console.print("∂f/∂x = z + x = 5 adds the two paths from x to f; ∂f/∂y = x = 2.")


def _example_two(console: Any, Table: Any) -> tuple[Any, Any, Any]:
    import mlplab as ml

    _section(console, "2. f = x·e^{(3x)·max(x, y)} (a graph with a max node)")

    def f(x: Any, y: Any) -> Any:
        return x * ((3 * x) * ml.maximum(x, y)).exp()

    table = Table("x", "y", "f", "∂f/∂x autograd", "∂f/∂x formula", "∂f/∂y autograd",
                  "∂f/∂y formula")
    for xv, yv in ((2.0, 1.0), (0.5, 1.0)):
        x = ml.tensor(xv, dtype="float64", requires_grad=True)
        y = ml.tensor(yv, dtype="float64", requires_grad=True)
        out = f(x, y)
        out.backward()
        if xv > yv:  # max = x: f = x e^{3x²}
            dx, dy = math.exp(3 * xv * xv) * (1 + 6 * xv * xv), 0.0
        else:  # max = y: f = x e^{3xy}
            dx = math.exp(3 * xv * yv) * (1 + 3 * xv * yv)
            dy = 3 * xv * xv * math.exp(3 * xv * yv)
        table.add_row(f"{xv:g}", f"{yv:g}", f"{float(out):.6g}", f"{float(x.grad):.10g}",
                      f"{dx:.10g}", f"{float(y.grad):.10g}", f"{dy:.10g}")
    console.print(table)
    console.print("x > y: ∂f/∂x = e^{3x²}(1 + 6x²), ∂f/∂y = 0;  "
                  "x < y: ∂f/∂x = e^{3xy}(1 + 3xy), ∂f/∂y = 3x²e^{3xy}.")
    return f, ml.tensor(2.0, dtype="float64"), ml.tensor(1.0, dtype="float64")


def _modes(console: Any, f: Any, x: Any, y: Any) -> None:
    import mlplab as ml

    _section(console, "3. forward mode vs reverse mode")
    _, dfdx = ml.jvp(f, (x, y), (1.0, 0.0))
    _, dfdy = ml.jvp(f, (x, y), (0.0, 1.0))
    _, (gx, gy) = ml.vjp(f, (x, y), 1.0)
    console.print(f"forward mode, tangent (1, 0): ∂f/∂x = {float(dfdx):.10g}")
    console.print(f"forward mode, tangent (0, 1): ∂f/∂y = {float(dfdy):.10g}")
    console.print(f"reverse mode, one backward:   ∂f/∂x = {float(gx):.10g}, "
                  f"∂f/∂y = {float(gy):.10g}")
    console.print("Forward mode needs one sweep per input; reverse mode one per output, "
                  "which is why training (one loss, many weights) uses reverse mode.")


def _checks(console: Any, Table: Any, f: Any) -> None:
    import mlplab as ml

    _section(console, "4. gradient checking (float64, ε = 1e-6)")
    table = Table("function", "point", "relative error", "verdict")
    for name, fn, point in (("x(x + y)", lambda x, y: x * (x + y), (2.0, 1.0)),
                            ("x·e^{(3x)·max(x, y)}", f, (2.0, 1.0)),
                            ("x·e^{(3x)·max(x, y)}", f, (0.5, 1.0))):
        inputs = [ml.tensor(v, dtype="float64", requires_grad=True) for v in point]
        result = ml.gradcheck(fn, *inputs)
        table.add_row(name, str(point), f"{result.max_relative_error:.1e}",
                      result.worst.verdict if result.ok else "[red]FAILED[/red]")
    console.print(table)
    console.print("relative error ‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂): "
                  "< 1e-7 great, > 1e-3 wrong.")


def _xor(console: Any, Table: Any) -> None:
    _section(console, "5. a 2-2-1 network learns XOR (tanh hidden layer, sigmoid output)")
    for seed in range(10):
        run = train_xor(seed=seed, stall_check=(500, 0.2))
        if not run["stalled"]:
            break
        console.print(f"seed {seed}: stuck in a local minimum (loss {run['losses'][-1]:.3f} "
                      "after 500 steps; the loss surface is not convex), trying the next seed")
    console.print(f"seed {seed}: learned XOR by gradient descent, lr 1.0, full batch")
    losses = run["losses"]
    marks = [0, 99, 499, len(losses) - 1]
    console.print("cross-entropy: " + ", ".join(f"step {i + 1}: {losses[i]:.4f}" for i in marks))
    table = Table("x₁", "x₂", "target", "ŷ", "class")
    for (x1, x2), target, p in zip(XOR_X, XOR_Y, run["predictions"], strict=True):
        ok = int(p > 0.5) == int(target)
        table.add_row(f"{x1:g}", f"{x2:g}", f"{target:g}", f"{p:.3f}",
                      f"[{'green' if ok else 'red'}]{int(p > 0.5)}[/]")
    console.print(table)


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo() -> None:
        """Run the autograd engine on two worked graphs, check it, and learn XOR."""
        from rich.table import Table

        from mlplab.cli import make_console

        console = make_console()
        _example_one(console, Table)
        f, x, y = _example_two(console, Table)
        _modes(console, f, x, y)
        _checks(console, Table, f)
        _xor(console, Table)
