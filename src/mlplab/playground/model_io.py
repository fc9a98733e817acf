"""Save the playground's model and load it back ("Save & load" on the page).

* The model file is ``ml.save``'s safe file (safetensors weights plus a JSON
  description, no pickle), with the playground's state in its metadata under
  ``"playground"``: the full config, the epoch and iteration, the input feature names
  and, when inputs are standardized, their training-set mean and std. So the file loads
  with ``ml.load`` for use in Python, and back into the playground.
* The weights JSON holds, per Linear layer, W^[l] (shape (n^[l], n^[l−1]), nested lists)
  and b^[l], plus every other tensor of the ``state_dict`` and the config. float32
  values are written as their exact float64 decimals, so they read back bit for bit.
* Loading a model file checks it at the boundary: size, ``ml.load``'s own validation
  (nothing in the file is executed), a playground config that passes the config's
  checks, and weights whose names and shapes are exactly those of the network that
  config builds. Any failure is one line naming the problem and the fix.

Training continues from the loaded weights; the optimizer's state (momentum, Adam's
moments, the schedule's step) starts afresh, as after a reset.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.checks import ParameterError
from mlplab.playground import model_builder as mb
from mlplab.playground.config import PlaygroundConfig, make_config

MAX_MODEL_BYTES = 2 * 1024 * 1024
"""Upload limit: the biggest playground network is a few kB; this leaves ample room."""
_FILE_NAME = "model.safetensors"


def _fail(text: str) -> ParameterError:
    return ParameterError(f"model file: {text}")


def playground_metadata(run: Any) -> dict[str, Any]:
    """What the model file keeps besides the weights."""
    meta: dict[str, Any] = {"config": run.config.model_dump(), "epoch": int(run.epoch),
                            "iteration": int(run.iteration),
                            "features": run.config.features()}
    if run.scaling is not None:
        meta["scaling"] = {"mean": np.asarray(run.scaling[0], np.float64),
                           "std": np.asarray(run.scaling[1], np.float64)}
    return meta


def model_file_bytes(run: Any) -> bytes:
    """The current model as an ``ml.save`` file (written to a temp folder, read back)."""
    from mlplab.io import save

    with tempfile.TemporaryDirectory(prefix="mlplab-playground-") as folder:
        path = save(run.model, Path(folder) / _FILE_NAME,
                    metadata={"playground": playground_metadata(run)})
        return path.read_bytes()


def weights_json(run: Any) -> dict[str, Any]:
    """Per Linear layer ``{"weight": W, "bias": b}`` as nested lists, the whole
    ``state_dict`` by name, the config and the epoch."""
    names = mb.layer_activations(run.config) + ["output"]
    layers = [{"activation": act, "weight": w.tolist(), "bias": b.tolist()}
              for act, (w, b) in zip(names, run.weights(), strict=False)]
    state = {k: np.asarray(v).tolist() for k, v in run.model.state_dict().items()}
    return {"v": 1, "kind": "mlplab-playground-weights", "epoch": int(run.epoch),
            "features": run.config.features(), "config": run.config.model_dump(),
            "layers": layers, "state": state}


@dataclass
class LoadModel:
    """The internal command that replaces the config and weights with a saved model's."""

    config: PlaygroundConfig
    state: dict[str, np.ndarray]
    epoch: int = 0
    iteration: int = 0
    op: str = "load_model"


def read_model_file(raw: bytes) -> LoadModel:
    """Validate an uploaded model file; return the command that loads it."""
    from mlplab.io import ModelFileError, load

    if len(raw) > MAX_MODEL_BYTES:
        raise _fail(f"{len(raw):,} bytes is over the limit of {MAX_MODEL_BYTES:,}; "
                    "upload a file saved by the playground's 'Download model'")
    if not raw:
        raise _fail("the file is empty; upload a file saved by 'Download model'")
    with tempfile.TemporaryDirectory(prefix="mlplab-playground-") as folder:
        path = Path(folder) / _FILE_NAME
        path.write_bytes(raw)
        try:
            model, metadata = load(path, with_metadata=True)
        except (ModelFileError, ValueError, TypeError, KeyError) as err:
            text = " ".join(str(err).replace(str(path), "").split()).lstrip(": ")
            raise _fail(f"not a model saved by mlplab ({text[:300]}); upload a file saved "
                        "by 'Download model'") from None
    saved = metadata.get("playground")
    if not isinstance(saved, dict) or not isinstance(saved.get("config"), dict):
        raise _fail("it holds no playground config (it was saved outside the playground); "
                    "upload a file saved by 'Download model'")
    try:
        config = make_config(saved["config"])
    except (ParameterError, ValueError) as err:
        raise _fail(f"its config is not valid here ({' '.join(str(err).split())[:300]})"
                    ) from None
    state = {k: np.asarray(v) for k, v in model.state_dict().items()}
    check_fits(config, state)
    return LoadModel(config, state, _count(saved, "epoch"), _count(saved, "iteration"))


def _count(saved: dict[str, Any], key: str) -> int:
    value = saved.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise _fail(f"its {key} must be a whole number >= 0, got {str(value)[:40]}; "
                    "upload a file saved by 'Download model'")
    return value


def check_fits(config: PlaygroundConfig, state: dict[str, np.ndarray]) -> None:
    """The weights must be exactly those of the network ``config`` builds, and finite."""
    expected = {k: np.shape(v) for k, v in mb.build_model(config).state_dict().items()}
    found = {k: v.shape for k, v in state.items()}
    if expected != found:
        wrong = sorted(set(expected) ^ set(found)) or sorted(
            k for k in expected if expected[k] != found[k])
        name = wrong[0]
        raise _fail(f"its weights do not fit the network of its config ({name}: expected "
                    f"{expected.get(name, 'no such tensor')}, found "
                    f"{found.get(name, 'none')}); save the model again from the playground")
    for name, value in state.items():
        if not np.all(np.isfinite(value)):
            raise _fail(f"{name} holds NaN or infinite values (a diverged run); "
                        "reset and train again, then save")


def apply_load(session: Any, command: LoadModel) -> None:
    """Config, then a fresh network (new data only when a data setting differs), then the
    saved weights and counters; paused."""
    from mlplab.playground.datasets import make_data
    from mlplab.playground.edits import DATA_FIELDS

    run, old = session.run, session.run.config
    session.running = False
    run.config = command.config
    if any(getattr(old, n) != getattr(command.config, n) for n in DATA_FIELDS):
        run.set_data(make_data(command.config))
    run.reset()
    run.model.load_state_dict(command.state)
    run.epoch, run.iteration = command.epoch, command.iteration
    if len(run.train_x):
        run.record_epoch()  # the loaded weights' losses, so the page shows them at once
    run.message = {"level": "info", "text": f"Loaded a saved model at epoch {run.epoch}; "
                   "press play to continue training from its weights"}
