"""A prepared evaluation-mode forward pass for ``Sequential`` models: the fast path of
``predict`` for small batches.

A plain forward pass wraps every intermediate in a ``Tensor``, asks the grad mode at
every op, and switches the whole model into evaluation mode and back on every call.
For a batch of one example through a 784-512-256-10 net those costs are as large as
the three matrix products themselves. The plan is the same computation with that
bookkeeping taken out: one step per layer, each calling the very function the
layer's primitive calls on raw arrays, so its outputs are identical to the plain path.

* ``Linear``: Z = X Wᵀ + b, the linear primitive's own forward;
* ReLU, sigmoid, tanh, LeakyReLU, ELU, PReLU: their primitives' forwards;
* Dropout, GaussianNoise, Identity: nothing (they are the identity in evaluation);
* any other layer: the layer itself in evaluation mode, under ``no_grad``.

``plan(x)`` fuses each ``Linear`` with a ReLU or tanh right after it into one step,
σ(X Wᵀ + b) computed in the product's own fresh array (X is dense there, so the
linear primitive's sparse branch is left out): the same ufuncs on the same
values (so the same bits), one Python call and one allocation fewer per layer.
``layer_outputs`` keeps every layer's output apart and so does not fuse.

Parameters are read from the layers at each call (their parameter tables), so training
in between, ``load_state_dict`` or ``model.to(dtype)`` never leave the plan stale. The
plan is rebuilt when the model's list of layers changes; models that are not a
``Sequential`` of layers, or that carry forward hooks (which must see every layer's
output as a tensor), keep the plain path.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from operator import attrgetter
from typing import Any

import numpy as np

from mlplab.autograd.grad_mode import no_grad
from mlplab.autograd.primitive import REGISTRY
from mlplab.autograd.tensor import Tensor
from mlplab.nn.activation import ELU, LeakyReLU, PReLU, ReLU, Sigmoid, Tanh
from mlplab.nn.container import Sequential
from mlplab.nn.dropout import Dropout, GaussianNoise
from mlplab.nn.linear import Identity, Linear

Step = Callable[[Any], Any]

_UNARY = {ReLU: "relu", Sigmoid: "sigmoid", Tanh: "tanh"}
# activations whose primitive forward is one ufunc that may write into its input:
# ufunc(z, *extra, out=z) gives the primitive's values without a new array
_IN_PLACE = {ReLU: (np.maximum, 0), Tanh: (np.tanh,)}
_IDENTITY_IN_EVAL = (Dropout, GaussianNoise, Identity)
_HOOKS = attrgetter("_forward_hooks")


def _linear_step(layer: Linear) -> Step:
    forward = REGISTRY["linear"].forward
    # the layer's own parameter table, read at each call: always the current weights,
    # without the cost of attribute lookup through Module.__getattr__
    params = layer._parameters
    if params.get("bias") is None:
        return lambda a: forward(a, params["weight"].data)
    return lambda a: forward(a, params["weight"].data, params["bias"].data)


def _dense_linear_step(layer: Linear, activation: Any = None) -> Step:
    """X Wᵀ + b, then σ when ``activation`` is given, all in the array the product
    allocates: the linear primitive's dense forward without its sparse branch (the
    plan is entered only with an ndarray, and every step returns one)."""
    params = layer._parameters
    ufunc, *extra = _IN_PLACE[type(activation)] if activation is not None else (None,)
    has_bias = params.get("bias") is not None

    def step(a: Any) -> Any:
        z = a @ params["weight"].data.T
        if has_bias:
            z += params["bias"].data
        return z if ufunc is None else ufunc(z, *extra, out=z)
    return step


def _fused(layers: tuple, layer_steps: tuple) -> tuple[Step, ...]:
    """The steps of ``plan(x)``: identities dropped, every Linear a dense step that
    takes the ReLU or tanh right after it along."""
    working = [(layer, step) for layer, step in zip(layers, layer_steps, strict=True)
               if step is not None]
    steps: list[Step] = []
    i = 0
    while i < len(working):
        layer, step = working[i]
        following = working[i + 1][0] if i + 1 < len(working) else None
        if type(layer) is Linear and type(following) in _IN_PLACE:
            steps.append(_dense_linear_step(layer, following))
            i += 2
        else:
            steps.append(_dense_linear_step(layer) if type(layer) is Linear else step)
            i += 1
    return tuple(steps)


def _layer_in_eval(layer: Any) -> Step:
    """The layer itself, in evaluation mode and without a graph (the general case)."""
    def step(a: Any) -> Any:
        was_training = layer.training
        if was_training:
            layer.eval()
        try:
            with no_grad():
                return layer(Tensor(a)).data
        finally:
            if was_training:
                layer.train()
    return step


def _step(layer: Any) -> Step | None:
    """The evaluation-mode step for one layer; None for the identity."""
    kind = type(layer)
    if kind is Linear:
        return _linear_step(layer)
    if kind in _UNARY:
        return REGISTRY[_UNARY[kind]].forward
    if kind is LeakyReLU:
        leaky, slope = REGISTRY["leaky_relu"].forward, float(layer.negative_slope)
        return lambda a: leaky(a, slope=slope)
    if kind is ELU:
        elu, alpha = REGISTRY["elu"].forward, float(layer.alpha)
        return lambda a: elu(a, alpha=alpha)
    if kind is PReLU:
        prelu, params = REGISTRY["prelu"].forward, layer._parameters
        return lambda a: prelu(a, params["weight"].data)
    if kind in _IDENTITY_IN_EVAL:
        return None
    return _layer_in_eval(layer)


class InferencePlan:
    """The evaluation-mode forward pass of one ``Sequential``, as a list of array steps."""

    def __init__(self, model: Sequential) -> None:
        self.layers = tuple(model._modules.values())
        self.layer_steps = tuple(map(_step, self.layers))  # None: the identity in eval
        self.steps = _fused(self.layers, self.layer_steps)
        working = [m for m in self.layers if not isinstance(m, _IDENTITY_IN_EVAL)]
        # the first Linear's parameter table (None when another layer comes first)
        self.entry = working[0]._parameters if working and type(working[0]) is Linear \
            else None

    def takes(self, x: Any) -> bool:
        """True for a dense batch the first Linear accepts as it is (width and dtype);
        anything else takes the plain path, which casts it or explains the mismatch."""
        if self.entry is None:
            return False
        weight = self.entry["weight"].data
        return (type(x) is type(weight) and x.ndim == 2
                and x.shape[1] == weight.shape[1] and x.dtype == weight.dtype)

    def fits(self, model: Sequential) -> bool:
        """True while the model has the layers the plan was built from, and no hooks."""
        # C-level comparisons (tuple identity, map/any): this runs on every prediction
        return (not model._forward_hooks and tuple(model._modules.values()) == self.layers
                and not any(map(_HOOKS, self.layers)))

    def __call__(self, x: Any) -> Any:
        for step in self.steps:
            x = step(x)
        return x

    def layer_outputs(self, x: Any) -> list[Any]:
        """Every layer's output for ``x``, in order (the last one is ``self(x)``); a
        layer that is the identity in evaluation repeats its input."""
        outputs = []
        for step in self.layer_steps:
            if step is not None:
                x = step(x)
            outputs.append(x)
        return outputs


_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def plan_for(model: Any) -> InferencePlan | None:
    """The model's current plan (built or rebuilt as needed), or None for the plain path."""
    if type(model) is not Sequential:
        return None
    plan = _PLANS.get(model)
    if plan is not None and plan.fits(model):
        return plan
    plan = InferencePlan(model)
    if not plan.fits(model):  # hooks: they must see each layer's output as a tensor
        return None
    _PLANS[model] = plan
    return plan
