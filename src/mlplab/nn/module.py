"""``Module``: the base class of every layer, loss and model.

A module owns three kinds of state, each declared by assignment:

* **parameters** — ``self.weight = Parameter(...)``: learnable, returned by
  ``parameters()``, updated by optimizers, saved in ``state_dict()``;
* **buffers** — ``self.register_buffer("running_mean", array)``: arrays that are
  state but not learned (BatchNorm's running statistics), saved in ``state_dict()``;
* **submodules** — ``self.fc1 = Linear(...)``: their parameters appear under dotted
  names (``fc1.weight``).

Everything else (hyper-parameters such as ``negative_slope``) is a plain attribute.
Switches of the whole tree (``train``/``eval``, ``requires_grad_``, ``to(dtype)``)
are in ``modes.py``.

Randomness
----------
Stochastic layers (``Dropout``, ``RReLU``, ``GaussianNoise``) own a
``numpy.random.Generator``; layers with parameters draw their initial values from
one. One seed reaches all of them:

* ``model.set_rng(seed)`` hands each stochastic submodule its own child Generator
  (``Generator.spawn``: independent streams, fixed by the order of the modules);
  weights are left alone. This is what a trainer calls with its seed.
* ``model.reset_parameters(seed)`` re-draws every parameter from its layer's
  initializer, each layer from its own child Generator.
* ``model.seed(seed)`` does both: the whole model becomes a function of ``seed``.
* each layer also accepts ``seed=`` (int, Generator or None) when it is built.

``pretrained`` is True once weights came from elsewhere than the initializer:
``load_state_dict`` (so ``ml.load``) or a Trainer's ``fit`` sets it, and
``reset_parameters`` clears it. A Trainer draws initial weights from its seed
only for a model in which no module is ``pretrained``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from mlplab import checks
from mlplab.autograd.tensor import Tensor
from mlplab.backend import xp
from mlplab.checks import SeedLike
from mlplab.nn.modes import ModuleModes
from mlplab.nn.parameter import Parameter


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` skipped."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class _HookHandle:
    """Returned by ``register_forward_hook``; ``remove()`` unregisters the hook."""

    def __init__(self, hooks: dict[int, Callable[..., Any]], key: int) -> None:
        self._hooks, self._key = hooks, key

    def remove(self) -> None:
        self._hooks.pop(self._key, None)


def _indent(text: str, spaces: int) -> str:
    lines = text.split("\n")
    return "\n".join([lines[0]] + [" " * spaces + line for line in lines[1:]])


class Module(ModuleModes):
    """Base class for layers and models; subclasses define ``__init__`` and ``forward``.

    >>> import mlplab as ml
    >>> class TwoLayer(ml.nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = ml.nn.Linear(2, 3, seed=0)
    ...         self.out = ml.nn.Linear(3, 1, seed=1)
    ...     def forward(self, x):
    ...         return self.out(self.hidden(x).relu())
    >>> [name for name, _ in TwoLayer().named_parameters()]
    ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
    """

    training: bool
    pretrained: bool = False  # see "Randomness" above: weights loaded or trained

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_forward_hooks", {})
        object.__setattr__(self, "training", True)

    # ----- the forward pass ------------------------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward(...)")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        out = self.forward(*args, **kwargs)
        if self._forward_hooks:
            for hook in list(self._forward_hooks.values()):
                replaced = hook(self, args, out)
                if replaced is not None:
                    out = replaced
        return out

    def register_forward_hook(self, hook: Callable[[Module, tuple, Any], Any]) -> _HookHandle:
        """Call ``hook(module, inputs, output)`` after every forward; a non-None return
        replaces the output. Used to watch activations layer by layer."""
        key = max(self._forward_hooks, default=-1) + 1
        self._forward_hooks[key] = hook
        return _HookHandle(self._forward_hooks, key)

    # ----- registration by assignment ------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        params = self.__dict__.get("_parameters")
        if params is None:
            if isinstance(value, Parameter | Module):
                raise AttributeError(
                    f"cannot assign {name!r} before Module.__init__() ran; call "
                    f"super().__init__() first in {type(self).__name__}.__init__"
                )
            object.__setattr__(self, name, value)
            return
        if isinstance(value, Parameter):
            self._forget(name)
            params[name] = value
        elif isinstance(value, Module):
            self._forget(name)
            self._modules[name] = value
        elif name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign a {type(value).__name__} to parameter {name!r} of "
                    f"{type(self).__name__}: expected a Parameter or None; wrap the values "
                    "in ml.nn.Parameter(...) or write them into .data"
                )
            params[name] = None
        elif name in self._modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign a {type(value).__name__} to submodule {name!r} of "
                    f"{type(self).__name__}: expected a Module or None"
                )
            self._modules[name] = None
        elif name in self._buffers:
            self._buffers[name] = None if value is None else self._as_buffer(name, value)
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: parameters, buffers and submodules live
        # in their own dicts so that the module tree can be walked generically.
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if store in d and name in d[store]:
                return d[store][name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __delattr__(self, name: str) -> None:
        for store in (self._parameters, self._buffers, self._modules):
            if name in store:
                del store[name]
                self._non_persistent.discard(name)
                return
        object.__delattr__(self, name)

    def _forget(self, name: str) -> None:
        for store in (self._parameters, self._buffers, self._modules, self.__dict__):
            store.pop(name, None)
        self._non_persistent.discard(name)

    def _as_buffer(self, name: str, value: Any) -> Any:
        if isinstance(value, Tensor):
            value = value.data
        if not isinstance(value, xp.ndarray):
            raise TypeError(f"buffer {name!r} of {type(self).__name__}: expected an ndarray or "
                            f"None, got {type(value).__name__}")
        return value

    def register_buffer(self, name: str, array: Any, persistent: bool = True) -> None:
        """Declare non-learned state (an ndarray or None); persistent buffers are saved."""
        if "." in name or not name:
            raise ValueError(f"register_buffer: invalid name {name!r} (non-empty, no dots)")
        if "_buffers" not in self.__dict__:
            raise AttributeError("call super().__init__() before register_buffer")
        self._forget(name)
        self._buffers[name] = None if array is None else self._as_buffer(name, array)
        if not persistent:
            self._non_persistent.add(name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter({name!r}): expected a Parameter or None, "
                            f"got {type(param).__name__}")
        self._forget(name)
        self._parameters[name] = param

    def add_module(self, name: str, module: Module | None) -> None:
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module({name!r}): expected a Module, got "
                            f"{type(module).__name__}")
        self._forget(name)
        self._modules[name] = module

    # ----- walking the tree ------------------------------------------------------------
    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for this module and every descendant, each once.

        Depth-first, parents before children, children in registration order. Walked
        with an explicit stack (no nested generators): ``train()``, ``eval()`` and
        ``parameters()`` run through here on every prediction.
        """
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{child_name}" if name else child_name, child)
                        for child_name, child in module._modules.items() if child is not None]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        for name, child in self._modules.items():
            if child is not None:
                yield name, child

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def named_parameters(self, prefix: str = "", recurse: bool = True
                         ) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) pairs; a parameter shared by two layers is listed once."""
        seen: set[int] = set()
        walk = self.named_modules(prefix) if recurse else iter([(prefix, self)])
        for module_name, module in walk:
            for name, p in module._parameters.items():
                if p is None or id(p) in seen:
                    continue
                seen.add(id(p))
                yield (f"{module_name}.{name}" if module_name else name), p

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "") -> Iterator[tuple[str, Any]]:
        for module_name, module in self.named_modules(prefix):
            for name, b in module._buffers.items():
                if b is not None:
                    yield (f"{module_name}.{name}" if module_name else name), b

    def buffers(self) -> Iterator[Any]:
        for _, b in self.named_buffers():
            yield b

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every submodule (children first) and on self."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # ----- randomness (see the module docstring) ---------------------------------------
    def set_rng(self, seed: SeedLike) -> Module:
        """Give each stochastic submodule its own child Generator derived from ``seed``."""
        stochastic = [m for m in self.modules() if isinstance(m, StochasticModule)]
        for module, rng in zip(stochastic, checks.spawn(seed, len(stochastic)), strict=True):
            module._rng = rng
        return self

    def _init_parameters(self, rng: Any) -> None:
        """Draw this module's own parameters from ``rng`` (layers with parameters override)."""

    def reset_parameters(self, seed: SeedLike = None) -> Module:
        """Re-draw every parameter from its layer's initializer, reproducibly from ``seed``."""
        owners = [m for m in self.modules()
                  if type(m)._init_parameters is not Module._init_parameters]
        for module, rng in zip(owners, checks.spawn(seed, len(owners)), strict=True):
            module._init_parameters(rng)
        for module in self.modules():
            module.pretrained = False
        return self

    def seed(self, seed: SeedLike) -> Module:
        """Make the model a function of ``seed``: re-initialize weights and reseed noise."""
        init_rng, noise_rng = checks.spawn(seed, 2)
        self.reset_parameters(init_rng)
        return self.set_rng(noise_rng)

    def rng_state(self) -> dict[str, Any]:
        """The bit-generator state of every stochastic submodule (to resume exactly)."""
        return {name: m._rng.bit_generator.state for name, m in self.named_modules()
                if isinstance(m, StochasticModule)}

    def set_rng_state(self, state: dict[str, Any]) -> None:
        modules = dict(self.named_modules())
        for name, s in state.items():
            if name not in modules or not isinstance(modules[name], StochasticModule):
                raise KeyError(f"set_rng_state: no stochastic module named {name!r}")
            modules[name]._rng.bit_generator.state = s

    # ----- saving and loading (implemented in state_dict.py) ----------------------------
    def state_dict(self) -> dict[str, Any]:
        """Name → ndarray copy, for every parameter and persistent buffer."""
        from mlplab.nn.state_dict import collect_state

        return collect_state(self)

    def load_state_dict(self, state_dict: dict[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy values into this model's parameters and buffers (in place, keeping dtypes).

        Shapes must match. With ``strict=True`` the keys must match exactly; every
        problem (missing, unexpected, mis-shaped keys) is listed in one error.
        """
        from mlplab.nn.state_dict import load_state

        missing, unexpected = load_state(self, state_dict, strict)
        self.pretrained = True
        return IncompatibleKeys(missing, unexpected)

    # ----- printing --------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The settings shown inside the parentheses of ``repr`` (override in layers)."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        lines = extra.split("\n") if extra else []
        for name, child in self._modules.items():
            lines.append(f"({name}): {_indent(repr(child), 2)}")
        head = type(self).__name__ + "("
        if not self._modules:
            return head + extra + ")"
        return head + "\n  " + "\n  ".join(lines) + "\n)"


class StochasticModule(Module):
    """A module that draws random numbers (Dropout, RReLU, GaussianNoise).

    Args:
        seed: int, ``numpy.random.Generator`` or None (fresh entropy). ``set_rng`` on
            any enclosing model replaces it with a child of the model's seed.
    """

    def __init__(self, seed: SeedLike = None) -> None:
        super().__init__()
        self._rng = checks.as_generator(seed, owner=type(self).__name__)

    @property
    def rng(self) -> Any:
        """The ``numpy.random.Generator`` this module draws from."""
        return self._rng
