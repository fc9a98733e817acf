"""Containers: ``Sequential`` (a chain of layers) and ``ModuleList`` (a list of modules)."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from typing import Any

from mlplab.nn.module import Module


def _check_module(value: Any, where: str) -> Module:
    if not isinstance(value, Module):
        raise TypeError(f"{where}: expected a Module such as ml.nn.Linear(2, 3), got "
                        f"{type(value).__name__}")
    return value


class _IndexedModules(Module):
    """Modules stored under the names '0', '1', …: list-like access for the containers."""

    def __init__(self, modules: Iterable[Module] = ()) -> None:
        super().__init__()
        for module in modules:
            self.append(module)

    def _index(self, idx: int) -> int:
        n = len(self._modules)
        try:
            idx = operator.index(idx)
        except TypeError:
            raise TypeError(f"{type(self).__name__} indices must be integers or slices, got "
                            f"{type(idx).__name__}") from None
        if not -n <= idx < n:
            raise IndexError(f"{type(self).__name__}: index {idx!r} out of range for "
                             f"{n} modules")
        return idx % n

    def _renumber(self, modules: list[Module]) -> None:
        self._modules.clear()
        for i, module in enumerate(modules):
            self._modules[str(i)] = module

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            return type(self)(list(self._modules.values())[idx])  # shares the layers
        return list(self._modules.values())[self._index(idx)]

    def __setitem__(self, idx: int, module: Module) -> None:
        self._modules[str(self._index(idx))] = _check_module(module, type(self).__name__)

    def __delitem__(self, idx: int | slice) -> None:
        modules = list(self._modules.values())
        if isinstance(idx, slice):
            del modules[idx]
        else:
            del modules[self._index(idx)]
        self._renumber(modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._modules.values()))

    def append(self, module: Module) -> _IndexedModules:
        """Add a module at the end (returns self, so calls can be chained)."""
        self._modules[str(len(self._modules))] = _check_module(
            module, f"{type(self).__name__}.append")
        return self

    def extend(self, modules: Iterable[Module]) -> _IndexedModules:
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        modules = list(self._modules.values())
        modules.insert(index, _check_module(module, f"{type(self).__name__}.insert"))
        self._renumber(modules)


class Sequential(_IndexedModules):
    """Layers applied one after another: ``a^[l] = layer_l(a^[l−1])``, a^[0] = x.

    Supports indexing (``model[0]``), slicing (a new ``Sequential`` sharing the
    layers), ``len``, iteration, ``append``, ``extend``, ``insert`` and ``del``.

    >>> import mlplab as ml
    >>> model = ml.nn.Sequential(ml.nn.Linear(2, 2, seed=0), ml.nn.Sigmoid(),
    ...                          ml.nn.Linear(2, 1, seed=1))
    >>> len(model), type(model[1]).__name__, len(model[:2])
    (3, 'Sigmoid', 2)
    """

    def __init__(self, *modules: Module) -> None:
        if len(modules) == 1 and isinstance(modules[0], list | tuple):
            modules = tuple(modules[0])
        super().__init__(modules)

    def forward(self, x: Any) -> Any:
        for module in self._modules.values():
            x = module(x)
        return x


class ModuleList(_IndexedModules):
    """A list of modules whose parameters are registered (no ``forward`` of its own).

    >>> import mlplab as ml
    >>> layers = ml.nn.ModuleList([ml.nn.Linear(4, 4, seed=i) for i in range(3)])
    >>> len(list(layers.parameters()))
    6
    """

    def __init__(self, modules: Iterable[Module] = ()) -> None:
        super().__init__(modules)
