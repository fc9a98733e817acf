"""The checks of a ``TrainConfig`` that read several settings at once.

Single settings are checked by their types (:mod:`mlplab.runs.fields`); what is left
here is whether they fit together: the splits leave training data, per-layer lists
match the layers, each optimizer setting belongs to the chosen optimizer, the data
fits the task, and the task's own rules (:meth:`mlplab.runs.tasks.Task.check`).
"""

from __future__ import annotations

from typing import Any

from mlplab.runs.optimizers import OPTIMIZER_SETTINGS

__all__ = ["check_together"]


def _check_splits(config: Any) -> None:
    if config.validation_split + config.test_split >= 1:
        raise ValueError(f"config: validation_split + test_split = {config.validation_split} + "
                         f"{config.test_split} leaves no training data; keep the sum below 1, "
                         "e.g. validation_split=0.1, test_split=0.2")


def _check_layers(config: Any) -> None:
    n = len(config.hidden)
    for setting, count, what in (("activation", n, "hidden layer"),
                                 ("dropout", n, "hidden layer"),
                                 ("init", n + 1, "linear layer")):
        value = getattr(config, setting)
        if isinstance(value, list) and len(value) != count:
            entries = f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}"
            raise ValueError(f"config: {setting} has {entries} for {count} {what}"
                             f"{'s' if count != 1 else ''} (hidden={config.hidden}); give one "
                             f"per {what} or a single value")


def _check_augment(config: Any) -> None:
    if not config.augment:
        return
    if config.data_spec.image_shape is None:
        raise ValueError("config: augment=true needs images (digits, mnist, fashion-mnist); "
                         "set augment=false for this data")
    if config.standardize:
        raise ValueError("config: augment works on raw [0, 1] pixels and clips to that range; "
                         "set standardize=false (or leave it out)")


def _check_stream(config: Any) -> None:
    from mlplab.runs.sources import STREAM_KINDS

    kind = config.data_spec.kind
    if config.stream and kind not in STREAM_KINDS:
        raise ValueError(f"config: stream=true reads npy:PATH, parquet:PATH or csv:PATH "
                         f"chunk by chunk, and data={config.data!r} is {kind} data, loaded in "
                         "memory; leave out --stream (stream = true) or pass such a file")
    if config.stream is False and kind in ("npy", "parquet"):
        raise ValueError(f"config: {kind} data are always streamed; leave out --no-stream "
                         "(stream=false)")


def _check_optimizer(config: Any) -> None:
    fields = type(config).model_fields
    reads = OPTIMIZER_SETTINGS[config.optimizer]
    for setting in sorted({s for settings in OPTIMIZER_SETTINGS.values() for s in settings}):
        if setting in reads or getattr(config, setting) == fields[setting].default:
            continue
        owners = [name for name, settings in OPTIMIZER_SETTINGS.items() if setting in settings]
        raise ValueError(f"config: {setting} is a setting of {', '.join(owners)}, not of "
                         f"{config.optimizer}; remove it or choose one of those optimizers")
    if config.nesterov and not config.momentum:
        raise ValueError("config: nesterov=true needs momentum > 0; e.g. momentum=0.9")


def _check_schedule(config: Any) -> None:
    if config.schedule == "plateau" and config.decay_rate >= 1:
        raise ValueError(f"config: schedule='plateau' multiplies lr by decay_rate, which must be "
                         f"below 1, got {config.decay_rate}; e.g. decay_rate=0.5")


def _check_task(config: Any) -> None:
    from mlplab.runs.tasks import get_task

    task = get_task(config.task)
    kind = config.data_spec.kind
    if kind not in task.data_kinds:
        raise ValueError(f"config: data={config.data!r} is {kind} data, and the {task.name!r} "
                         f"task reads {', '.join(task.data_kinds)}; pick a matching data source "
                         "or task")
    task.check(config)


def check_together(config: Any) -> Any:
    """Raise a one-line ValueError for settings that do not fit together; else ``config``."""
    _check_splits(config)
    _check_layers(config)
    _check_augment(config)
    _check_stream(config)
    _check_optimizer(config)
    _check_schedule(config)
    _check_task(config)
    return config
