"""One optimizer step for all of a small model's parameters at once, laid end to end.

In a small network the arithmetic of an update is tiny and the step is mostly the
cost of each NumPy call. A 2-8-8-1 net has six parameters, and SGD spends two calls on
each (d = α·g, then W −= d), Adam eight. Suppose every parameter's values are a view
into one flat array θ = [vec W¹, b¹, vec W², b², …], and every gradient a view into
one flat array dθ laid out the same way. Then a rule that treats each coordinate on
its own (``Optimizer.elementwise``: SGD, momentum, RMSprop, Adam, …) updates all the
parameters with the calls it makes for one:

    θ := rule(θ, dθ, state(θ))

Coordinate for coordinate these are the numbers of the rule applied to each
parameter in turn, bit for bit: each output coordinate is computed from the same
inputs by the same operations. The optimizer's state (velocity, running averages) is
laid out the same way, and each parameter's record holds views into it, so
``state_dict`` and checkpoints see the usual per-parameter records.

Layout. At the first step, and again whenever a parameter's data, its state record
or a value in that record has been replaced since (``model.to(dtype)``,
``optimizer.load_state_dict``, ``state[p].momentum_buffer = …``), the
values are copied into fresh flat arrays and each ``p.data`` becomes a view of them
(parameters already laid out in order, by an earlier ``FlatStep``, keep their array).
Updates then change those views in place, so a reference to ``p.data`` taken after
the first training step stays valid. A reference taken before it keeps the old values:
this is the one place where mlplab replaces ``p.data``, as PyTorch's
``flatten_parameters`` does for recurrent layers' weights.

``Trainer`` uses it instead of ``LayerwiseStep`` when every parameter of its training
plan has fewer than ``SMALLEST_FOLDED`` entries, so none would be folded into a GEMM.
All of them must be in one parameter group, and the steps are those of
``optimizer.step(consume_grads=True)``.
"""

from __future__ import annotations

import dataclasses
from itertools import repeat
from operator import attrgetter, is_
from typing import Any

from mlplab.backend import sum_rows, xp
from mlplab.optim.layerwise import SMALLEST_FOLDED, LayerwiseStep
from mlplab.optim.optimizer import Optimizer

_data = attrgetter("data")


class _Flat:
    """All the parameters as one: the rule reads and writes ``data`` (θ)."""

    __slots__ = ("data",)

    def __init__(self, data: Any) -> None:
        self.data = data


def _rule_is_elementwise(optimizer: Any) -> bool:
    """``elementwise`` as declared by the class that defines ``update``."""
    for cls in type(optimizer).__mro__:
        if "update" in vars(cls):
            return bool(vars(cls).get("elementwise", False))
    return False


class FlatStep:
    """``begin(params)``; ``product`` / ``row_sum`` / ``gradient`` per parameter as the
    backward pass reaches it (each writes into dθ); ``finish()`` — the rule once on θ
    (``abandon()`` instead when the backward pass fails). The interface of
    ``LayerwiseStep``."""

    def __init__(self, optimizer: Optimizer) -> None:
        self.optimizer = optimizer
        self._params: tuple[Any, ...] = ()  # the plan's parameters, in layout order
        self._views: list[Any] = []  # each p.data as laid out
        self._records: list[Any] = []  # each p's state record as laid out (or None)
        self._grad_views: dict[Any, Any] = {}  # p → its part of dθ
        self._flat = _Flat(None)  # θ
        self._grad: Any = None  # dθ
        self._record: Any = None  # the rule's state for θ (None before the first step)
        self._shared: dict[str, Any] = {}  # field → the flat record's value last shared out
        self._handed: dict[str, list[Any]] = {}  # field → what each record was given
        self._group: dict[str, Any] | None = None
        self._group_index = 0  # where _group sits in optimizer.param_groups
        self._lr = 0.0

    @staticmethod
    def supports(optimizer: Any) -> bool:
        """True for an ``Optimizer`` with the shared step and an elementwise rule."""
        return (LayerwiseStep.supports(optimizer)
                and type(optimizer).update_one is Optimizer.update_one
                and _rule_is_elementwise(optimizer))

    @staticmethod
    def fits(params: tuple[Any, ...]) -> bool:
        """True when no parameter is large enough for ``LayerwiseStep`` to fold."""
        return all(p.data.size < SMALLEST_FOLDED for p in params)

    # ----- one step -------------------------------------------------------------------------
    def begin(self, params: tuple[Any, ...]) -> bool:
        """Check (or make) the flat layout and resolve α for this step; False when it
        cannot apply (parameters in several groups or not the optimizer's, state records
        that differ in their scalars): the caller then steps as usual."""
        opt = self.optimizer
        if params is not self._params or not self._laid_out():
            if not self._lay_out(params):
                return False
        group = self._group
        assert group is not None
        self._lr = opt.learning_rate(group)
        opt._lending_grads = True  # dθ is this step's alone: the rule may write over it
        return True

    def product(self, p: Any, left: Any, right: Any) -> None:
        """p's gradient is leftᵀ·right (a Linear layer's weight)."""
        xp.matmul(left.T, right, out=self._grad_views[p])

    def row_sum(self, p: Any, g: Any) -> None:
        """p's gradient is Σ_rows g (a Linear layer's bias)."""
        sum_rows(g, out=self._grad_views[p])

    def gradient(self, p: Any, g: Any) -> None:
        """p's gradient is g."""
        xp.copyto(self._grad_views[p], g)

    def finish(self) -> None:
        """Apply the rule to θ with dθ, then count the step and leave no gradient behind,
        as ``step(consume_grads=True)`` does."""
        opt, group = self.optimizer, self._group
        assert group is not None
        record = self._record
        if record is None:
            record = self._record = opt.init_state(self._flat, group)
        try:
            opt.update_one(self._flat, self._grad, group, self._lr, state=record)
        finally:
            opt._lending_grads = False
        self._share_state()
        opt.zero_grad()
        opt.step_count += 1

    def abandon(self) -> None:
        """The backward pass failed part-way: stop lending gradients; no step is counted."""
        self.optimizer._lending_grads = False

    # ----- the layout -----------------------------------------------------------------------
    def _laid_out(self) -> bool:
        """True while every p.data and state record is the one laid out, and the group the
        same dict (``load_state_dict`` replaces the groups)."""
        opt = self.optimizer
        groups = opt.param_groups
        k = self._group_index
        if k >= len(groups) or groups[k] is not self._group:
            return False
        params = self._params
        if not all(map(is_, map(_data, params), self._views)):
            return False
        records = self._records
        if not all(map(is_, map(opt.state.get, params), records)):
            return False  # a record replaced (load_state_dict)
        return all(all(map(is_, map(getattr, records, repeat(name)), handed))
                   for name, handed in self._handed.items())  # or one of its values

    def _lay_out(self, params: tuple[Any, ...]) -> bool:
        """Copy the parameters (and their state) into flat arrays and point each p.data
        (and each state array) at its part."""
        opt = self.optimizer
        k = next((k for k, g in enumerate(opt.param_groups)
                  if params and any(q is params[0] for q in g["params"])), None)
        group = opt.param_groups[k] if k is not None else {"params": ()}
        members = {id(q) for q in group["params"]}
        if not params or not all(id(p) in members for p in params):
            return False  # spread over several groups, or not all the optimizer's
        records = [opt.state.get(p) for p in params]
        flat_state = _gather_state(params, records)
        if flat_state is False:
            return False
        dtype = params[0].data.dtype
        spans = _spans(params)
        theta = _laid_out_already(params, spans)  # by an earlier FlatStep (another fit)
        if theta is None:
            theta = xp.empty(spans[-1][1], dtype=dtype)
            for p, (start, stop) in zip(params, spans, strict=True):
                view = theta[start:stop].reshape(p.data.shape)
                view[...] = p.data
                p.data = view
        dtheta = xp.empty_like(theta)
        views = [p.data for p in params]
        grad_views = {p: dtheta[start:stop].reshape(p.data.shape)
                      for p, (start, stop) in zip(params, spans, strict=True)}
        self._params, self._views, self._grad_views = params, views, grad_views
        self._flat, self._grad = _Flat(theta), dtheta
        self._group, self._group_index = group, k
        self._record, self._records = None, list(records)
        self._shared, self._handed = {}, {}
        if flat_state is not None:
            self._record = flat_state
            self._share_state()
        return True

    def _share_state(self) -> None:
        """Give each parameter's record its part of the flat state: views of each flat
        array, the scalars as they are (e.g. Adam's step count t, the same for every
        parameter). A value is handed out again only when the rule has changed it."""
        record, shared, handed = self._record, self._shared, self._handed
        opt, params = self.optimizer, self._params
        if not self._records or self._records[0] is None:  # the first step: new records
            self._records = [dataclasses.replace(record) for _ in params]
            for p, own in zip(params, self._records, strict=True):
                opt.state[p] = own
            shared.clear()
        for name in _field_names(record):
            value = getattr(record, name)
            if name in shared and shared[name] is value:
                continue  # an array changed in place, or the same scalar object
            shared[name] = value
            if isinstance(value, xp.ndarray):
                parts = [value[start:stop].reshape(p.data.shape)
                         for p, (start, stop) in zip(params, _spans(params), strict=True)]
            else:
                parts = [value] * len(params)
            for own, part in zip(self._records, parts, strict=True):
                setattr(own, name, part)
            handed[name] = parts


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(record: Any) -> tuple[str, ...]:
    """The field names of a state record's dataclass (looked up once per class)."""
    kind = type(record)
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(record))
    return names


def _spans(params: tuple[Any, ...]) -> list[tuple[int, int]]:
    """[start, stop) of each parameter in the flat layout."""
    spans, start = [], 0
    for p in params:
        spans.append((start, start + p.data.size))
        start += p.data.size
    return spans


def _laid_out_already(params: tuple[Any, ...], spans: list[tuple[int, int]]) -> Any:
    """θ when each p.data already is its part of one flat array, in order (so a new
    ``FlatStep`` on the same model keeps the arrays that references may point to)."""
    theta = params[0].data.base
    if (type(theta) is not xp.ndarray or theta.ndim != 1 or theta.size != spans[-1][1]
            or theta.dtype != params[0].data.dtype or not theta.flags.writeable):
        return None
    origin, itemsize = theta.ctypes.data, theta.itemsize
    for p, (start, _) in zip(params, spans, strict=True):
        data = p.data
        if (data.base is not theta or not data.flags.c_contiguous
                or data.ctypes.data != origin + start * itemsize):
            return None
    return theta


def _gather_state(params: tuple[Any, ...], records: list[Any]) -> Any:
    """The flat state record made from the parameters' records (their arrays laid end to
    end; records then point into it via ``_share_state``), None when no parameter has
    one yet, False when they cannot be joined (some have a record and some not, or
    their scalars differ): the flat step then does not apply."""
    if all(r is None for r in records):
        return None
    first = records[0]
    if any(r is None or type(r) is not type(first) for r in records):
        return False
    joined: dict[str, Any] = {}
    for field in dataclasses.fields(first):
        values = [getattr(r, field.name) for r in records]
        if all(isinstance(v, xp.ndarray) for v in values):
            if any(v.shape != p.data.shape or v.dtype != p.data.dtype
                   for v, p in zip(values, params, strict=True)):
                return False
            joined[field.name] = xp.concatenate([v.ravel() for v in values])
        elif all(not isinstance(v, xp.ndarray) and v == values[0] for v in values):
            joined[field.name] = values[0]  # None, or a scalar all records share
        else:
            return False
    return dataclasses.replace(first, **joined)
