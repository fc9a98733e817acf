"""The notes' worked examples of the computational graph (seed note 001, 自动微分).

Example 1: f = x·(x + y) at x = 2, y = 1. With z = x + y = 3:
    f = 2·3 = 6;  ∂f/∂z = x = 2;  ∂f/∂x = z + x·∂z/∂x = 3 + 2 = 5;  ∂f/∂y = x·∂z/∂y = 2.
Example 2: f = x·e^{(3x)·max(x, y)}.
    x > y: f = x e^{3x²},  ∂f/∂x = e^{3x²}(1 + 6x²),  ∂f/∂y = 0.
    x < y: f = x e^{3xy},  ∂f/∂x = e^{3xy}(1 + 3xy), ∂f/∂y = 3x² e^{3xy}.
"""

from __future__ import annotations

import math

import pytest

import mlplab as ml


def test_example_one_values_and_gradients():
    x = ml.tensor(2.0, requires_grad=True, name="x")
    y = ml.tensor(1.0, requires_grad=True, name="y")
    z = x + y
    f = x * z
    ml.graph.retain_grads(f)
    f.backward()
    assert float(f) == 6.0
    assert float(z) == 3.0
    assert float(z.grad) == 2.0  # ∂f/∂z = x
    assert float(x.grad) == 5.0  # two paths: z + x
    assert float(y.grad) == 2.0


def _example_two(x, y):
    return x * ((3 * x) * ml.maximum(x, y)).exp()


@pytest.mark.parametrize("xv,yv", [(2.0, 1.0), (0.5, 1.0), (-0.3, 0.4), (0.7, -1.2)])
def test_example_two_against_hand_derived_formula(xv, yv):
    x = ml.tensor(xv, dtype="float64", requires_grad=True)
    y = ml.tensor(yv, dtype="float64", requires_grad=True)
    f = _example_two(x, y)
    f.backward()
    m = max(xv, yv)
    assert float(f) == pytest.approx(xv * math.exp(3 * xv * m), rel=1e-14)
    if xv > yv:
        dx, dy = math.exp(3 * xv * xv) * (1 + 6 * xv * xv), 0.0
    else:
        dx, dy = math.exp(3 * xv * yv) * (1 + 3 * xv * yv), 3 * xv * xv * math.exp(3 * xv * yv)
    assert float(x.grad) == pytest.approx(dx, rel=1e-13)
    assert float(y.grad) == pytest.approx(dy, rel=1e-13, abs=1e-300)


def test_example_two_forward_mode_agrees_with_reverse_mode():
    x, y = ml.tensor(2.0, dtype="float64"), ml.tensor(1.0, dtype="float64")
    _, dfdx = ml.jvp(_example_two, (x, y), (1.0, 0.0))
    _, dfdy = ml.jvp(_example_two, (x, y), (0.0, 1.0))
    _, (gx, gy) = ml.vjp(_example_two, (x, y), 1.0)
    assert float(dfdx) == pytest.approx(25 * math.exp(12), rel=1e-13)
    assert float(dfdx) == pytest.approx(float(gx), rel=1e-14)
    assert float(dfdy) == float(gy) == 0.0


def test_graph_of_example_one_shows_every_node_with_value_and_gradient():
    x = ml.tensor(2.0, requires_grad=True, name="x")
    y = ml.tensor(1.0, requires_grad=True, name="y")
    z = x + y
    z.name = "z"
    f = ml.graph.retain_grads(x * z)
    f.backward()
    dot = ml.graph.to_dot(f)
    assert dot.startswith("digraph") and dot.rstrip().endswith("}")
    assert 'label="x\\n= 2\\ngrad 5"' in dot
    assert 'label="y\\n= 1\\ngrad 2"' in dot
    assert 'label="z\\n= 3\\ngrad 2"' in dot
    assert 'label="add"' in dot and 'label="mul"' in dot
    # x feeds both add and mul: two edges leave x's node (t0)
    assert dot.count("t0 -> op") == 2
    # without retain_grads the intermediate keeps no gradient (as in PyTorch)
    g = x * (x + y)
    g.backward()
    assert "grad" not in ml.graph.to_dot(g).split("t2 [")[1].split("\n")[0]


def test_graph_shapes_constants_and_options():
    w = ml.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True, name="W")
    loss = ((w * 3).sum(axis=1) ** 2).mean()
    loss.backward()
    dot = ml.graph.to_dot(loss)
    assert "shape (2, 3)" in dot
    assert "sum axis=1" in dot
    assert "const" in dot and "= 3" in dot
    bare = ml.graph.to_dot(loss, show_values=False, show_grads=False)
    assert "grad" not in bare and "= 3" not in bare
    with pytest.raises(TypeError, match="Tensor"):
        ml.graph.to_dot(3.0)
