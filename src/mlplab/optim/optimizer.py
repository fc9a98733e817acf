"""``Optimizer``: the loop every optimizer shares; subclasses write only the update rule.

One training step of gradient descent (W := W − α dW) is, for every
parameter W with a gradient dW:

1. resolve the learning rate α of its group — a number, or a schedule called
   with the step count t (the one place where ``callable(lr)`` is checked);
2. add L2 weight decay, dW + λW (a new array: ``.grad`` is never changed in
   place, it may be shared), or for decoupled decay (AdamW) shrink W := W − αλW;
3. call the subclass's ``update(p, g, state, lr, group)``, which changes
   ``p.data`` in place and keeps its running quantities in ``state``, a small
   record (e.g. ``AdamState(step, v, s, s_max)``) made by ``init_state(p, group)``.

Parameter groups work as in PyTorch: ``params`` may be a list of dicts, each with
its own options, e.g. no weight decay on biases::

    SGD([{"params": weights, "weight_decay": 1e-4}, {"params": biases}], lr=0.1)

``state_dict()`` / ``load_state_dict()`` save and restore everything a resumed run
needs (per-parameter records, group hyper-parameters, the step count t), so a run
continued from a checkpoint is bit-identical to an uninterrupted one.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from mlplab import checks
from mlplab.autograd.grad_mode import enable_grad
from mlplab.autograd.tensor import Tensor
from mlplab.backend import xp
from mlplab.optim.param_groups import LEARNING_RATE, check_parameters
from mlplab.optim.scratch import ScratchSpace


class Optimizer(ScratchSpace):
    """Base class: owns ``param_groups``, ``state``, the step count and serialization.

    Args:
        params: an iterable of Parameters (``model.parameters()``), or of dicts with a
            ``"params"`` entry and per-group options that override ``defaults``.
        defaults: the hyper-parameters of the subclass (validated with its table).

    Subclasses set ``constraints`` (the declarative table of valid hyper-parameter
    values) and implement ``init_state`` and ``update``; an update that needs a
    temporary array borrows one with ``self.scratch(like)`` (see scratch.py).
    """

    constraints: ClassVar[dict[str, Any]] = {"lr": LEARNING_RATE}
    state_type: ClassVar[type]  # the dataclass made by init_state
    # True when ``update`` treats every coordinate alone (no norm, no sum over a
    # parameter), so the rule applied once to all parameters laid end to end gives the
    # same numbers as applied to each (``optim/flat_step.py`` relies on it). Read from the
    # class that defines ``update``: a subclass with its own rule must say so itself.
    elementwise: ClassVar[bool] = False

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        super().__init__()  # ScratchSpace: the temporaries that update rules borrow
        self.defaults = dict(defaults)
        checks.check_all(self._name(), self.defaults, self.constraints)
        self.check_group(self.defaults)
        self.param_groups: list[dict[str, Any]] = []
        self.state: dict[Tensor, Any] = {}
        self.step_count = 0  # t: completed calls of step(); schedules read it
        if isinstance(params, Tensor | dict):
            params = [params]
        if isinstance(params, set | frozenset) or not isinstance(params, Iterable):
            check_parameters(self._name(), params)  # raises the clear error
        groups = list(params)
        if len(groups) == 0:
            raise ValueError(
                f"{self._name()}: got an empty parameter list; pass model.parameters() of a "
                "model that has parameters (a generator can be used only once)"
            )
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ----- what subclasses write -------------------------------------------------------
    def init_state(self, p: Tensor, group: dict[str, Any]) -> Any:
        """The state record of parameter ``p`` before its first update."""
        raise NotImplementedError

    def update(self, p: Tensor, g: Any, state: Any, lr: float, group: dict[str, Any]) -> None:
        """Apply one update to ``p.data`` in place, given gradient ``g`` (do not modify g)."""
        raise NotImplementedError

    def check_group(self, group: dict[str, Any]) -> None:
        """Checks that involve several options at once (override when needed)."""

    # ----- groups -------------------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options (missing ones take the defaults)."""
        name = self._name()
        if not isinstance(param_group, dict) or "params" not in param_group:
            raise TypeError(
                f"{name}: a parameter group must be a dict with a 'params' entry, received "
                f"{type(param_group).__name__}"
            )
        group = {k: v for k, v in param_group.items() if k != "params"}
        checks.check_all(name, group, self.constraints)
        params = check_parameters(name, param_group["params"])
        if not params:
            raise ValueError(f"{name}: a parameter group has an empty 'params' list")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError(f"{name}: some parameters appear in more than one parameter group")
        full = {"params": params, **self.defaults, **group}
        self.check_group(full)
        self.param_groups.append(full)

    # ----- the shared loop ----------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients (``p.grad = None``; ``set_to_none=False`` zeroes them in place)."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none or p.grad is None:
                    p.grad = None
                else:
                    p.grad.fill(0)  # in place, as PyTorch

    def learning_rate(self, group: dict[str, Any]) -> float:
        """α for ``group`` at the current step t: the number, or ``schedule(t)``."""
        lr = group["lr"]
        if not callable(lr):
            return lr
        value = lr(self.step_count)
        try:
            value = float(value)
        except (TypeError, ValueError):
            value = math.nan
        if not (math.isfinite(value) and value >= 0.0):
            raise ValueError(
                f"{self._name()}: the learning-rate schedule {lr!r} returned {value} at step "
                f"{self.step_count}; a learning rate must be a finite number >= 0"
            )
        return value

    def step(self, closure: Callable[[], Any] | None = None, *,
             consume_grads: bool = False) -> Any:
        """Update every parameter that has a gradient; return ``closure()`` if given.

        ``consume_grads=True`` says the gradients are not needed after this step: an
        update may then use a parameter's ``.grad`` array as its scratch space, and every
        ``.grad`` is set to None afterwards (as ``zero_grad()`` would). ``Trainer`` steps
        this way; a hand-written loop that reads ``p.grad`` after ``step()`` should not.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with self.lending_grads(consume_grads):  # see scratch.py
            self._update_all()
        if consume_grads:
            self.zero_grad()
        self.step_count += 1
        return loss

    def _update_all(self) -> None:
        for group in self.param_groups:
            lr = self.learning_rate(group)
            for p in group["params"]:
                if p.grad is not None:
                    self.update_one(p, p.grad, group, lr)

    def update_one(self, p: Tensor, g: Any, group: dict[str, Any], lr: float,
                   state: Any = None) -> None:
        """Steps 2 and 3 above for one parameter: weight decay, then ``update``.

        ``step`` calls this for every parameter; ``LayerwiseStep`` (layerwise.py) calls it
        as soon as the backward pass has produced a parameter's gradient. ``state`` is
        p's record when the caller holds it (``FlatStep``: all parameters as one), else
        it is looked up in (or added to) ``self.state``.
        """
        if g.shape != p.data.shape:
            raise ValueError(
                f"{self._name()}: a gradient has shape {g.shape} but its parameter has "
                f"shape {p.data.shape}; set p.grad to an array of the parameter's shape"
            )
        if state is None:
            state = self.state.get(p)
            if state is None:
                state = self.state[p] = self.init_state(p, group)
        wd = group.get("weight_decay", 0.0)
        if wd != 0.0:
            if group.get("decoupled_weight_decay", False):
                p.data *= 1.0 - lr * wd  # W := W − αλW (Loshchilov & Hutter)
            else:
                decayed = xp.multiply(p.data, wd)  # dW + λW, a new array
                decayed += g
                g = decayed
        self.update(p, g, state, lr, group)

    def update_from_product(self, p: Tensor, left: Any, right: Any, group: dict[str, Any],
                            lr: float, blas: Any) -> bool:
        """Update ``p`` whose gradient is dW = leftᵀ·right without forming dW, where the
        rule allows it (SGD folds the product into its velocity with one GEMM); return
        False to have the caller form dW and call ``update_one``. ``blas`` is
        ``mlplab.blas.blas()``, not None."""
        return False

    # ----- serialization ------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """A copy of everything needed to resume: plain Python values and ndarrays.

        ``{"optimizer": class name, "step_count": t, "state": {index: {field: value}},
        "param_groups": [{option: value, "params": [index, …]}]}``; parameters are
        numbered in group order, as in PyTorch. Schedules are saved as
        ``{"schedule": class name, "state": …}``.
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                index[id(p)] = len(index)
                ids.append(index[id(p)])
            saved = {k: _export(v) for k, v in group.items() if k != "params"}
            groups.append({**saved, "params": ids})
        state = {index[id(p)]: _record_to_dict(s) for p, s in self.state.items()}
        return {"optimizer": self._name(), "step_count": self.step_count,
                "state": dict(sorted(state.items())), "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a ``state_dict()`` saved from the same optimizer type and model shapes."""
        name = self._name()
        where = f"{name}.load_state_dict"
        if not isinstance(state_dict, dict) or "param_groups" not in state_dict:
            raise TypeError(f"{where}: expected the dict made by state_dict(), received "
                            f"{type(state_dict).__name__}")
        saved_type = state_dict.get("optimizer")
        if saved_type != name:
            raise ValueError(f"{where}: the state was saved from {saved_type}, but this "
                             f"optimizer is {name}; create a {saved_type} to load it")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"{where}: the state has {len(saved_groups)} parameter groups, "
                             f"this optimizer has {len(self.param_groups)}")
        params: list[Tensor] = []
        for k, (saved, group) in enumerate(zip(saved_groups, self.param_groups, strict=True)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(f"{where}: parameter group {k} has {len(saved['params'])} "
                                 f"parameters in the state but {len(group['params'])} here")
            params.extend(group["params"])
        new_state = {}
        for key, record in state_dict.get("state", {}).items():
            i = int(key)
            if not 0 <= i < len(params):
                raise ValueError(f"{where}: state for parameter {i}, but there are only "
                                 f"{len(params)} parameters")
            new_state[params[i]] = _record_from_dict(self.state_type, record, params[i], i, where)
        new_groups = []  # last: loading a schedule's state changes that schedule in place
        for saved, group in zip(saved_groups, self.param_groups, strict=True):
            plain = {o: v for o, v in saved.items() if o != "params"
                     and not (isinstance(v, dict) and "schedule" in v)}
            checks.check_all(where, plain, self.constraints)
            options = {o: _import(v, group.get(o)) for o, v in saved.items() if o != "params"}
            new_groups.append({**group, **options})
            self.check_group(new_groups[-1])
        self.param_groups[:] = new_groups
        self.state = new_state
        self.step_count = int(state_dict.get("step_count", 0))

    # ----- display --------------------------------------------------------------------------
    def _name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        lines = [f"{self._name()} (step {self.step_count})"]
        for i, group in enumerate(self.param_groups):
            options = ", ".join(f"{k}={v!r}" for k, v in group.items() if k != "params")
            lines.append(f"  group {i}: {len(group['params'])} parameters, {options}")
        return "\n".join(lines)


# ----- records <-> plain dicts ---------------------------------------------------------------
def _record_to_dict(record: Any) -> dict[str, Any]:
    out = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        out[f.name] = value.copy() if isinstance(value, xp.ndarray) else copy.deepcopy(value)
    return out


def _record_from_dict(cls: type, saved: dict[str, Any], p: Tensor, i: int, where: str) -> Any:
    names = [f.name for f in dataclasses.fields(cls)]
    if not isinstance(saved, dict) or set(saved) != set(names):
        got = sorted(saved) if isinstance(saved, dict) else type(saved).__name__
        raise ValueError(f"{where}: state of parameter {i} has fields {got}, expected "
                         f"{names} ({cls.__name__}); it was saved by another optimizer type")
    values = {}
    for name in names:
        value = saved[name]
        if isinstance(value, xp.ndarray | list):
            array = xp.array(value, dtype=p.data.dtype)  # a copy: later updates stay ours
            if array.shape != p.data.shape:
                raise ValueError(
                    f"{where}: state {name!r} of parameter {i} has shape {array.shape}, but the "
                    f"parameter has shape {p.data.shape}; the state belongs to another model"
                )
            value = array
        elif isinstance(value, float | int) and not isinstance(value, bool) and name == "step":
            value = int(value)
        values[name] = value
    return cls(**values)


def _export(value: Any) -> Any:
    if isinstance(value, bool | int | float | str | tuple | list | type(None)):
        return copy.deepcopy(value)
    saver = getattr(value, "state_dict", None)
    if saver is None:  # a plain function used as a schedule
        return {"schedule": "callable", "repr": repr(value)}
    return {"schedule": type(value).__name__, "state": saver()}


def _import(saved: Any, current: Any) -> Any:
    """A saved group option back to its live form (schedules rebuilt or loaded in place)."""
    if isinstance(saved, dict) and "schedule" in saved:
        kind = saved["schedule"]
        if kind == "callable":  # a plain function cannot be saved: keep the one given now
            return current
        if type(current).__name__ == kind and hasattr(current, "load_state_dict"):
            current.load_state_dict(saved["state"])  # keep the object the training loop holds
            return current
        from mlplab.optim.schedules import schedule_from_state

        return schedule_from_state(kind, saved["state"])
    if isinstance(current, tuple) and isinstance(saved, list):
        return tuple(saved)  # betas after a JSON round trip
    return saved
