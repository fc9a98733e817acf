"""Makers of hostile model files, shared by the hand-written cases and the fuzz test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

import mlplab as ml

nn = ml.nn


def real_model_bytes(tmp_path: Path) -> bytes:
    """A small but complete model file: every kind of layer with weights, plus metadata."""
    model = nn.Sequential(nn.Linear(6, 5, seed=0), nn.BatchNorm1d(5), nn.PReLU(5),
                          nn.Sequential(nn.Maxout(5, 4, 2, seed=1), nn.LayerNorm(4)),
                          nn.Dropout(0.2), nn.Linear(4, 3, seed=2))
    meta = {"class_names": ["a", "b", "c"], "preprocessing": {"mean": np.arange(6.0)},
            "pair": (1, 2), "by_id": {3: "x"}}
    return ml.save(model, tmp_path / "real.safetensors", metadata=meta).read_bytes()


def model_meta(architecture: Any, **fields: Any) -> dict[str, Any]:
    """The mlplab description of a model file, with ``fields`` replacing its entries."""
    meta = {"format": "mlplab", "format_version": 1, "kind": "model", "scalars": [],
            "mlplab_version": "0", "architecture": architecture, "input_width": None,
            "metadata": {}}
    meta.update(fields)
    return meta


def write_model(path: Path, meta: dict[str, Any] | str,
                arrays: dict[str, np.ndarray] | None = None) -> Path:
    """A safetensors file holding ``arrays`` and the description ``meta`` (dict or JSON text)."""
    from safetensors.numpy import save

    text = meta if isinstance(meta, str) else json.dumps(meta)
    path.write_bytes(save(arrays or {"weights/x": np.zeros(1, np.float32)},
                          metadata={"mlplab": text}))
    return path


def raw_file(path: Path, header: dict[str, Any] | str, body: bytes = b"") -> Path:
    """A file with a hand-made safetensors header (any JSON) and ``body`` after it."""
    text = (header if isinstance(header, str) else json.dumps(header)).encode()
    path.write_bytes(len(text).to_bytes(8, "little") + text + body)
    return path


def nested(levels: int, leaf: str = "0") -> str:
    """JSON text of ``levels`` nested lists around ``leaf`` (built without recursion)."""
    return "[" * levels + leaf + "]" * levels


def nested_sequential(levels: int) -> str:
    """JSON text of ``levels`` Sequentials each holding the next (json.dumps would recurse)."""
    return ('{"type": "Sequential", "layers": [' * levels + '{"type": "ReLU", "args": {}}'
            + "]}" * levels)


def split_model(raw: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The mlplab description and the arrays of the model file ``raw``."""
    from safetensors.numpy import load

    size = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + size])
    return json.loads(header["__metadata__"]["mlplab"]), load(raw)
