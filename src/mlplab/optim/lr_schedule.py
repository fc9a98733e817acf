"""``LearningRateSchedule``: the base class of every schedule (a callable step → lr)."""

from __future__ import annotations

from typing import Any

from mlplab import checks


class LearningRateSchedule:
    """Base class: ``__call__(step) -> lr``; ``config`` names the constructor arguments."""

    config: tuple[str, ...] = ()
    constraints: dict[str, Any] = {}

    def _validate(self) -> None:
        values = self.get_config()
        for name, constraint in self.constraints.items():
            if values.get(name) is not None:
                checks.check(type(self).__name__, name, values[name], constraint)

    def __call__(self, step: int) -> float:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.config}

    def state_dict(self) -> dict[str, Any]:
        return {"config": self.get_config()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.__init__(**state["config"])

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={val!r}" for k, val in self.get_config().items())
        return f"{type(self).__name__}({args})"
