"""``save_torch``: a PyTorch file of a model (its state_dict and its architecture) that
PyTorch alone can rebuild, without mlplab installed."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from mlplab.export.source import exportable
from mlplab.export.torch_bridge import to_torch, torch_args


def torch_architecture(model: Any) -> dict[str, Any]:
    """The PyTorch layers of ``model`` as {"type": "Linear", "args": {...}}, Sequentials as
    {"type": "Sequential", "layers": [...]}: ``getattr(torch.nn, type)(**args)`` rebuilds."""
    import mlplab.nn as nn

    if type(model) is nn.Sequential:
        return {"type": "Sequential", "layers": [torch_architecture(m) for m in model]}
    args = torch_args(model)
    if "normalized_shape" in args:
        args["normalized_shape"] = list(args["normalized_shape"])
    return {"type": type(model).__name__, "args": args}


def save_torch(model: Any, path: str | Path) -> Path:
    """Write ``{"state_dict": …, "architecture": JSON text}`` with ``torch.save``, atomically.

    ``model`` is anything ``to_onnx`` takes (module, Trainer, path of a model file or run
    folder); only the network is written (no preprocessing). ``torch.load(path)`` reads
    it back with the default ``weights_only=True``.
    """
    from mlplab.io.atomic import write_atomic

    network = exportable(model, "save_torch").network
    twin = to_torch(network)  # refuses, naming it, a layer PyTorch does not have
    import torch

    buffer = io.BytesIO()
    torch.save({"state_dict": twin.state_dict(),
                "architecture": json.dumps(torch_architecture(network))}, buffer)
    return write_atomic(path, buffer.getvalue())
