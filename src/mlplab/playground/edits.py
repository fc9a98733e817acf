"""Commands that change the run's settings, weights or data (applied by the worker).

``set`` rebuilds the network (same init seed, epoch 0, paused) when a setting marked
"resets" changed, regenerates the data when a data setting changed, and otherwise
updates the live optimizer (learning rate, β, ε, ρ) without touching the weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mlplab.checks import ParameterError
from mlplab.playground import model_builder as mb
from mlplab.playground.config import PlaygroundConfig, make_config
from mlplab.playground.datasets import PlaygroundData, make_data

DATA_FIELDS = ("problem", "dataset", "reg_dataset", "classes", "noise", "perc_train_data",
               "num_samples", "seed")
"""Settings whose change draws new data."""


@dataclass
class Upload:
    """The internal command that replaces the data with an uploaded CSV's points."""

    data: PlaygroundData
    classes: int = 2
    op: str = "upload"


def resets(name: str) -> bool:
    return bool((PlaygroundConfig.model_fields[name].json_schema_extra or {})["resets"])


def apply_edit(session: Any, command: Any) -> dict[str, Any]:
    """Apply one of the editing commands to ``session.run``; return extra reply fields."""
    run, op = session.run, command.op
    if op == "reset":
        session.running = False
        run.reset()
    elif op == "new_weights":
        session.running = False
        run.config = make_config({"init_seed": session.new_seed()}, run.config)
        run.reset()
    elif op == "regenerate":
        run.config = make_config({"seed": session.new_seed()}, run.config)
        run.set_data(make_data(run.config))
    elif op == "set":
        return {"reset": set_config(session, command.config)}
    elif op == "edit_weight":
        edit_parameter(run, command.layer, "weight", (command.to, command.from_),
                       command.value)
    elif op == "edit_bias":
        edit_parameter(run, command.layer, "bias", (command.unit,), command.value)
    elif op == "add_point":
        add_point(run, command)
    elif op == "remove_point":
        remove_point(run, command.x, command.y)
    elif op == "upload":
        session.running = False
        if command.classes > 2:  # K classes: the K-class setting of the config
            loss = run.config.loss if run.config.loss in ("auto", "ce") else "ce"
            run.config = make_config({"dataset": "blobs", "classes": command.classes,
                                      "problem": "classification", "loss": loss},
                                     run.config)
        elif run.config.n_classes() > 2:
            run.config = make_config({"dataset": "circle"}, run.config)
        run.set_data(command.data)
        run.reset()
    elif op == "load_model":
        from mlplab.playground.model_io import apply_load

        apply_load(session, command)
    return {}


def set_config(session: Any, values: dict[str, Any]) -> bool:
    """Apply a partial config; returns whether the network was rebuilt."""
    from mlplab.playground.url_state import URL_KEYS, parse_value

    run = session.run
    named = {}
    for key, value in values.items():  # the page may send URL keys and hash text too
        name = key if key in PlaygroundConfig.model_fields else URL_KEYS.get(key, key)
        named[name] = parse_value(name, value) if isinstance(value, str) and name != key \
            else value
    values = named
    old, new = run.config, make_config(values, run.config)
    changed = [n for n in PlaygroundConfig.model_fields if getattr(old, n) != getattr(new, n)]
    run.config = new
    if any(n in DATA_FIELDS for n in changed):
        run.set_data(make_data(new))
    rebuild = any(resets(n) for n in changed)
    if rebuild:
        session.running = False
        run.reset()
    else:
        update_optimizer(run)
        run.prepare_data()
    return rebuild


def update_optimizer(run: Any) -> None:
    """Live hyperparameters into every parameter group (no reset, state kept)."""
    config = run.config
    lr = mb.make_schedule(config, run.steps_per_epoch())
    for group in run.optimizer.param_groups:
        group["lr"] = lr
        for key, value in (("eps", config.epsilon), ("rho", config.rho),
                           ("alpha", config.rho), ("betas", (config.beta1, config.beta2))):
            if key in group:
                group[key] = value
        if "momentum" in group and group["momentum"] > 0:
            group["momentum"] = config.momentum


def edit_parameter(run: Any, layer: int, name: str, index: tuple[int, ...],
                   value: float) -> None:
    layers = mb.weight_layers(run.model)
    if layer >= len(layers):
        raise ParameterError(f"edit: layer must be below {len(layers)} (the number of "
                             f"weight layers), got {layer}; e.g. layer=0")
    module = layers[layer]
    pieces = getattr(module, "pieces", 1)
    index = (index[0] * pieces, *index[1:])  # a Maxout unit shows its first piece
    tensor = getattr(module, name).data
    if any(i >= n for i, n in zip(index, tensor.shape, strict=True)):
        shape = (tensor.shape[0] // pieces, *tensor.shape[1:])
        raise ParameterError(f"edit: {name} index {index} is outside layer {layer}'s "
                             f"{name} of shape {shape}; e.g. an index below {shape}")
    tensor[index] = value
    if name == "weight" and run.dead[layer] is not None:
        run.dead[layer][index] = False  # an edited link lives again


def add_point(run: Any, command: Any) -> None:
    config, data = run.config, run.data
    label: Any = command.label
    if config.problem == "classification":
        k = config.n_classes()
        if label != int(label) or not 0 <= label < k:
            raise ParameterError(f"add_point: label must be a class index 0 to {k - 1}, got "
                                 f"{label}; e.g. label=1")
        label = int(label)
    elif not -1 <= label <= 1:
        raise ParameterError(f"add_point: a regression target must be in [-1, 1], got "
                             f"{label}; e.g. label=0.5")
    point = np.array([[command.x, command.y]])
    y_dtype = data.train_y.dtype
    if command.test:
        new = PlaygroundData(data.train_x, data.train_y, np.vstack([data.test_x, point]),
                             np.append(data.test_y, label).astype(y_dtype))
    else:
        new = PlaygroundData(np.vstack([data.train_x, point]),
                             np.append(data.train_y, label).astype(y_dtype),
                             data.test_x, data.test_y)
    run.set_data(new)


def remove_point(run: Any, x: float, y: float) -> None:
    """Remove the training or test point nearest to (x, y)."""
    data = run.data
    both = np.vstack([data.train_x, data.test_x])
    if len(both) == 0:
        raise ParameterError("remove_point: there are no points left to remove; "
                             "e.g. regenerate the data first")
    nearest = int(np.argmin(np.hypot(both[:, 0] - x, both[:, 1] - y)))
    n = len(data.train_x)
    if nearest < n:
        keep = np.arange(n) != nearest
        new = PlaygroundData(data.train_x[keep], data.train_y[keep], data.test_x, data.test_y)
    else:
        keep = np.arange(len(data.test_x)) != nearest - n
        new = PlaygroundData(data.train_x, data.train_y, data.test_x[keep], data.test_y[keep])
    run.set_data(new)
