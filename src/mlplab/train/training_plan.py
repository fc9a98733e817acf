"""A prepared training step for ``Sequential`` MLPs: forward, loss and backward on raw arrays.

A plain training step records a graph (a ``Tensor`` and a node per op), then the engine
walks it back: a heap of nodes, a dict of pending gradients, an ownership check per
``.grad``. For a 2-8-8-1 network that bookkeeping costs several times the arithmetic.
A ``Sequential`` of ``Linear`` layers and elementwise activations under a plain loss is
a chain, so its backward pass can be written down once, as backpropagation derives it (rows are
examples, g = ∂J/∂(this layer's output)):

* forward, layer by layer:  Z = A_prev Wᵀ + b,   A = g(Z);   J = loss(A_L, Y);
* loss gradient:  dA_L = ∂J/∂A_L  (mean MSE: 2(A − Y)/n; cross-entropy on logits:
  (softmax(Z) − Y)/N; BCE on logits: (σ(Z) − Y)/N; BCE on probabilities:
  (A − Y)/(A(1 − A) N));
* activation:  dZ = dA ⊙ g′(Z)  (tanh′ = 1 − A², σ′ = A(1 − A), ReLU′ = [A > 0]);
* Linear:  dW = dZᵀ A_prev,   db = Σ_rows dZ,   dA_prev = dZ W.

Every layer step calls the very forward and VJP function the autograd path calls (the
primitives of ``REGISTRY``), with the same arguments in the same order, and each loss
(``training_losses.py``) the same arithmetic as the engine, so the loss, the outputs and
each ``param.grad`` are the plain path's bit for bit. A gradient is stored as the engine
stores it: a fresh array becomes ``param.grad`` (or is added into it).

Three things the graph cannot do (the first two give the same bits, the third the same
bits except where SGD folds dW, which changes the float rounding alone; tests in
tests/train/):

* arrays kept across steps (``_Buffers``): Z and dA_prev are written into the previous
  step's memory instead of fresh pages;
* the bias add and a ReLU, tanh or sigmoid run in place over the product's own Z, which
  nothing else holds, and their VJP writes dZ over dA;
* given a ``LayerwiseStep`` (``optim/layerwise.py``), each layer's parameters are updated
  as soon as dA_prev is out, so no ``.grad`` is stored, and SGD can fold dW into its
  velocity with one GEMM; given a ``FlatStep`` (``optim/flat_step.py``), each gradient
  is written into its part of one flat array and the rule runs once at the end.

``benchmarks/train_ablation.py`` measures each on MNIST's 784-512-256-10 (results in
docs/training.md, "Speed").

Eligible: a ``Sequential`` (no forward hooks anywhere) of ``Linear``, ReLU, Tanh,
Sigmoid, LeakyReLU, ELU and Identity, every parameter requiring grad, none shared and
all of one dtype; a loss in ``LOSSES`` with mean reduction and no weights, pos_weight or
label smoothing. Anything else gets no plan (``plan_for`` returns None) and keeps the
plain autograd path. Parameters are read from the layers' tables at each call, and the
plan is rebuilt when the list of layers changes, as for ``inference_plan``.
"""

from __future__ import annotations

import weakref
from operator import attrgetter, is_
from typing import Any

from mlplab.autograd.primitive import REGISTRY
from mlplab.autograd.tensor import Tensor
from mlplab.backend import positive_part, xp
from mlplab.nn.activation import ELU, LeakyReLU, ReLU, Sigmoid, Tanh
from mlplab.nn.container import Sequential
from mlplab.nn.linear import Identity, Linear
from mlplab.train.training_losses import LOSSES

_UNARY = {ReLU: "relu", Sigmoid: "sigmoid", Tanh: "tanh"}
_IN_PLACE = frozenset(_UNARY.values())  # activations whose VJP needs only their output
_linear = REGISTRY["linear"]
_linear_no_bias = REGISTRY["linear_no_bias"]
_HOOKS = attrgetter("_forward_hooks")
_REQUIRES_GRAD = attrgetter("requires_grad")


def _store(param: Any, g: Any) -> None:
    """Hand g to ``param.grad`` as the engine does: a fresh array is taken as it is,
    and added into a gradient that is already there (``backward`` accumulates)."""
    if param.grad is None:
        param.grad = g
    else:
        param.grad += g


# Arrays of fewer elements are not kept: NumPy serves them from its own cache of small
# blocks, and looking a kept one up would cost more than that (2-8-8-1 steps/s).
KEEP_FROM = 4096


class _Buffers:
    """Arrays one step writes at every call, kept for the next call of the same shape.

    A fresh array of a few hundred kB is fresh pages from the system, and their page
    faults cost as much as the arithmetic written into them: on MNIST's 784-512-256-10
    at batch 128, ``g * (A > 0)`` into a fresh 128 × 512 array took 84 µs, into a kept
    one 13 µs. Callers keep only arrays of at least ``KEEP_FROM`` elements and pass
    ``out=None`` (a new array) for smaller ones, without calling ``get``.
    """

    __slots__ = ("arrays",)

    def __init__(self) -> None:
        self.arrays: dict[str, Any] = {}

    def get(self, key: str, shape: tuple[int, int], dtype: Any) -> Any:
        arr = self.arrays.get(key)
        if arr is None or arr.shape != shape or arr.dtype != dtype:
            arr = self.arrays[key] = xp.empty(shape, dtype=dtype)
        return arr


class _LinearStep:
    """Z = X Wᵀ + b forward; dX = g W, dW = gᵀ X, db = Σ_rows g backward.

    Z goes into a kept array unless it is the model's output (which the caller keeps);
    dX always does. Same operations as the ``linear`` primitive, so the same bits.
    """

    __slots__ = ("params", "first", "keep_output", "x", "buffers")

    def __init__(self, layer: Linear, first: bool) -> None:
        self.params = layer._parameters  # read at each call: always the current weights
        self.first = first  # the model's input takes no gradient
        self.keep_output = True  # False for the last step: its output leaves the plan
        self.x: Any = None
        self.buffers = _Buffers()

    def forward(self, x: Any) -> Any:
        self.x = x
        params = self.params
        w, bias = params["weight"].data, params["bias"]
        if not self.keep_output:
            if bias is None:
                return _linear_no_bias.forward(x, w)
            return _linear.forward(x, w, bias.data)
        rows, width = x.shape[0], w.shape[0]
        z = xp.matmul(x, w.T, out=None if rows * width < KEEP_FROM else
                      self.buffers.get("z", (rows, width), w.dtype))
        if bias is not None:
            z += bias.data
        return z

    def backward(self, g: Any, update: Any = None) -> Any:
        """dX (None for the first layer); the parameters' gradients go to ``.grad``, or
        to ``update`` (a ``LayerwiseStep`` or ``FlatStep``) once dX no longer needs W."""
        params, x = self.params, self.x
        weight, bias = params["weight"], params["bias"]
        w = weight.data
        dx = None
        if not self.first:
            rows, width = g.shape[0], w.shape[1]
            dx = xp.matmul(g, w, out=None if rows * width < KEEP_FROM else
                           self.buffers.get("dx", (rows, width), w.dtype))
        if update is not None:
            update.product(weight, g, x)
            if bias is not None:
                update.row_sum(bias, g)
        else:
            _, vjp_w, vjp_b = _linear.vjps
            _store(weight, vjp_w(g, None, x, w))
            if bias is not None:
                _store(bias, vjp_b(g, None, x, w, bias.data))
        self.x = None
        return dx


class _ActivationStep:
    """A = g(Z) forward with the primitive's forward; dZ = its VJP (dA, A, Z) backward."""

    __slots__ = ("name", "forward_fn", "vjp", "params", "z", "out")

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        prim = REGISTRY[name]
        self.name = name
        self.forward_fn, self.vjp, self.params = prim.forward, prim.vjps[0], params
        self.z: Any = None
        self.out: Any = None

    def forward(self, z: Any) -> Any:
        self.z, self.out = z, self.forward_fn(z, **self.params)
        return self.out

    def backward(self, g: Any, update: Any = None) -> Any:
        dz = self.vjp(g, self.out, self.z, **self.params)
        self.z = self.out = None
        return dz


class _InPlaceActivation:
    """ReLU, tanh or sigmoid computed in place on the Linear output before it, a kept
    array nothing else holds; backward needs only A, and writes dZ over dA (also a kept
    array: the next Linear's dX). The primitives' operations in their order: same bits.

        ReLU:  A = max(Z, 0),        dZ = dA ⊙ [A > 0]
        tanh:  A = tanh(Z),          dZ = dA ⊙ (1 − A ⊙ A)
        σ:     A = 1 / (1 + e^(−Z)), dZ = dA ⊙ A ⊙ (1 − A)
    """

    __slots__ = ("kind", "out", "buffers")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.out: Any = None
        self.buffers = _Buffers()

    def forward(self, z: Any) -> Any:
        kind = self.kind
        if kind == "relu":
            positive_part(z, out=z)
        elif kind == "tanh":
            xp.tanh(z, out=z)
        else:
            xp.negative(z, out=z)
            with xp.errstate(over="ignore"):  # e^(−z) → inf for z ≪ 0: σ is then 0
                xp.exp(z, out=z)
            z += 1
            xp.reciprocal(z, out=z)
        self.out = z
        return z

    def backward(self, g: Any, update: Any = None) -> Any:
        a, kind = self.out, self.kind
        if kind == "relu":
            xp.multiply(g, a > 0, out=g)
        else:
            t = None if a.size < KEEP_FROM else self.buffers.get("t", a.shape, a.dtype)
            if kind == "tanh":
                t = xp.multiply(a, a, out=t)
                xp.subtract(1, t, out=t)
                xp.multiply(g, t, out=g)
            else:
                xp.multiply(g, a, out=g)
                t = xp.subtract(1, a, out=t)
                g *= t
        self.out = None
        return g


def _step(layer: Any, first: bool) -> Any:
    """The plan's step for one layer; None for Identity; False when not eligible."""
    kind = type(layer)
    if kind is Linear:
        return _LinearStep(layer, first)
    if kind in _UNARY:
        return _ActivationStep(_UNARY[kind], {})
    if kind is LeakyReLU:
        return _ActivationStep("leaky_relu", {"slope": float(layer.negative_slope)})
    if kind is ELU:
        return _ActivationStep("elu", {"alpha": float(layer.alpha)})
    if kind is Identity:
        return None
    return False


def _in_place(steps: list[Any]) -> tuple[Any, ...]:
    """The steps with kept arrays wired in: the last step's output leaves the plan (a
    fresh array), and a ReLU, tanh or sigmoid right after a Linear that keeps its output
    works in place on it."""
    if steps and type(steps[-1]) is _LinearStep:
        steps[-1].keep_output = False
    out = list(steps)
    for i in range(1, len(steps) - 1):
        step, before = steps[i], steps[i - 1]
        if (type(step) is _ActivationStep and step.name in _IN_PLACE
                and type(before) is _LinearStep and before.keep_output):
            out[i] = _InPlaceActivation(step.name)
    return tuple(out)


class TrainingPlan:
    """One training step of a ``Sequential`` under a plain loss, as array steps.

    Use: ``out = plan.forward(X)``; ``value = plan.loss(targets)`` (None: take the plain
    path); check the value; ``plan.backward()`` writes every ``param.grad``.
    """

    def __init__(self, model: Sequential, loss: Any) -> None:
        self.layers = tuple(model._modules.values())
        self.loss_module = loss
        self.head = LOSSES[type(loss)]()
        self.eligible = True
        steps: list[Any] = []
        for layer in self.layers:
            step = _step(layer, first=not steps)
            if step is False:
                self.eligible = False
            elif step is not None:
                steps.append(step)
        self.steps = _in_place(steps)
        params = [p for layer in self.layers for p in layer._parameters.values()
                  if p is not None]
        self.params = tuple(params)
        self.dtype = params[0].data.dtype if params else None
        if (not steps or type(steps[0]) is not _LinearStep
                or len({id(p) for p in params}) != len(params)
                or any(p.data.dtype != self.dtype for p in params)):
            self.eligible = False  # shared or mixed-dtype parameters: the engine's business
        self.out: Any = None

    def fits(self, model: Sequential, loss: Any) -> bool:
        """True while the model has the layers (and the loss) the plan was built from."""
        layers = model._modules
        return (loss is self.loss_module and len(layers) == len(self.layers)
                and all(map(is_, layers.values(), self.layers)))

    def usable(self, model: Sequential) -> bool:
        """True for an eligible model without hooks, every parameter requiring grad, and
        a loss that is still the plain one (its settings are read at each call)."""
        return (self.eligible and not model._forward_hooks
                and self.head.plain(self.loss_module)
                and not any(map(_HOOKS, self.layers))
                and all(map(_REQUIRES_GRAD, self.params)))

    def takes(self, x: Any) -> bool:
        """True for a dense 2-D batch of the model's dtype and input width."""
        weight = self.steps[0].params["weight"].data
        return (type(x) is xp.ndarray and x.ndim == 2 and x.shape[1] == weight.shape[1]
                and x.dtype == weight.dtype)

    def forward(self, x: Any) -> Any:
        """The model's outputs A_L (the arrays the backward pass needs are kept)."""
        for step in self.steps:
            x = step.forward(x)
        self.out = x
        return x

    def loss(self, target: Any) -> float | None:
        """J(A_L, Y) as a float (the value ``float(loss_fn(outputs, target))`` gives), or
        None for targets the plan does not take (soft class targets, a shape the plain
        loss refuses): the caller then takes the plain path, which handles or words them."""
        if type(target) is Tensor:
            if target.requires_grad:  # a gradient for the targets too: the engine's job
                return None
            target = target.data
        if not self.head.takes(self.out, target):
            return None
        return self.head.forward(self.out, target)

    def backward(self, update: Any = None) -> None:
        """Write ∂J/∂θ into every parameter's ``.grad`` (the engine's way of storing), or,
        given a begun ``LayerwiseStep`` or ``FlatStep``, hand each gradient to it for the
        optimizer's step instead (no ``.grad`` is written)."""
        g = self.head.backward()
        for step in reversed(self.steps):
            g = step.backward(g, update)
        self.out = None

    def release(self) -> None:
        """Drop the arrays kept between steps (``Trainer.fit`` calls this when it ends)."""
        for step in self.steps:
            if type(step) is not _ActivationStep:
                step.buffers.arrays.clear()


_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def plan_for(model: Any, loss: Any) -> TrainingPlan | None:
    """The model's current training plan under ``loss`` (built or rebuilt as needed), or
    None for the plain autograd path."""
    if type(model) is not Sequential or type(loss) not in LOSSES:
        return None
    plan = _PLANS.get(model)
    if plan is None or not plan.fits(model, loss):
        plan = _PLANS[model] = TrainingPlan(model, loss)
    return plan if plan.usable(model) else None


def release_plan(model: Any) -> None:
    """Drop the arrays the model's training plan keeps between steps, if it has a plan."""
    plan = _PLANS.get(model) if type(model) is Sequential else None
    if plan is not None:
        plan.release()
