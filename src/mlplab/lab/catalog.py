"""Finding the lab's experiments: every module of ``mlplab.lab.experiments`` that
defines both ``CLAIM`` (a :class:`~mlplab.lab.claim.Claim`) and ``run(lab)``.

There is no list to edit: dropping a module into that package adds it. The catalog is
ordered by (claim number, name), the order of the course's list of claims.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass

from mlplab.checks import unknown
from mlplab.lab.claim import Claim, Outcome

GROUPS = ("neurons", "activations", "gradients", "initialization", "optimization",
          "regularization", "normalization", "losses", "generalization", "text", "tuning")
"""The docs pages of the lab, ``docs/lab/<group>.md``; each claim belongs to one."""

_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Experiment:
    """One discovered experiment: its declared claim and the function that tests it."""

    claim: Claim
    run: Callable[..., Outcome]
    module: str

    @property
    def name(self) -> str:
        return self.claim.name


def _declared(module_name: str) -> Experiment | None:
    module = importlib.import_module(module_name)
    claim, run = getattr(module, "CLAIM", None), getattr(module, "run", None)
    if claim is None or not callable(run):
        return None
    if not isinstance(claim, Claim):
        raise TypeError(f"lab: {module_name}.CLAIM must be a mlplab.lab.claim.Claim, "
                        f"got {type(claim).__name__}")
    problem = ("name must be kebab-case, e.g. 'logic-gates'" if not _KEBAB.match(claim.name)
               else f"group must be one of {', '.join(GROUPS)}" if claim.group not in GROUPS
               else "number must be an integer in 1..26" if not 1 <= claim.number <= 26
               else "")
    if problem:
        raise ValueError(f"lab: {module_name}.CLAIM: {problem}; got {claim.name!r} "
                         f"(group {claim.group!r}, number {claim.number!r})")
    return Experiment(claim, run, module_name)


@functools.cache
def _discover() -> tuple[Experiment, ...]:
    package = importlib.import_module("mlplab.lab.experiments")
    found: dict[str, Experiment] = {}
    for info in pkgutil.iter_modules(package.__path__, prefix=f"{package.__name__}."):
        experiment = _declared(info.name)
        if experiment is None:
            continue
        if experiment.name in found:
            raise ValueError(f"lab: experiment name {experiment.name!r} is declared by both "
                             f"{found[experiment.name].module} and {info.name}; rename one")
        found[experiment.name] = experiment
    return tuple(sorted(found.values(), key=lambda e: (e.claim.number, e.name)))


def all_experiments() -> dict[str, Experiment]:
    """Every experiment of the lab by name, in catalog order (number, then name)."""
    return {e.name: e for e in _discover()}


def get(name: str) -> Experiment:
    """The experiment called ``name``; an unknown name gets the closest valid one."""
    known = all_experiments()
    if name not in known:
        raise unknown("lab", "experiment", name, known)
    return known[name]


__all__ = ["GROUPS", "Experiment", "all_experiments", "get"]
