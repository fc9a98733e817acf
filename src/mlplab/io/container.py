"""The file container: one safetensors file with mlplab's JSON description in its header.

safetensors holds only raw tensors and a string→string metadata map, so loading
can never run code (unlike pickle). Writes go to a temporary file in the same
folder, are flushed to disk, and then renamed over the target: a crash leaves
either the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

FORMAT_NAME = "mlplab"
FORMAT_VERSION = 1
_META_KEY = "mlplab"


class ModelFileError(ValueError):
    """A model or checkpoint file that cannot be read: missing, corrupted, foreign or too new."""


def _safetensors() -> Any:
    try:
        import safetensors.numpy as st
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError("saving and loading models needs safetensors: "
                          "pip install 'mlplab[io]'") from err
    return st


def write_atomic(path: str | Path, payload: bytes) -> Path:
    """Write ``payload`` to ``path`` via a temporary file and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_file(path: str | Path, arrays: dict[str, np.ndarray], header: dict[str, Any]) -> Path:
    """Store arrays and a JSON header (``kind``, ``description``…) in one safetensors file."""
    # safetensors stores 0-d arrays as shape (1,): remember which ones to give back as 0-d
    scalars = sorted(k for k, v in arrays.items() if v.ndim == 0)
    arrays = {k: (v.reshape(1) if v.ndim == 0 else v) for k, v in arrays.items()}
    meta = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, "scalars": scalars,
            **header}
    payload = _safetensors().save(arrays, metadata={_META_KEY: json.dumps(meta)})
    return write_atomic(path, payload)


def read_file(path: str | Path, kind: str) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Read arrays and header; every failure becomes one ``ModelFileError`` naming the file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such {kind} file")
    raw = path.read_bytes()
    header = _read_header(path, raw)
    meta_text = header.get("__metadata__", {}).get(_META_KEY)
    if meta_text is None:
        raise ModelFileError(f"{path}: not an mlplab {kind} (a safetensors file without "
                             "mlplab's description; it may come from another library)")
    try:
        meta = json.loads(meta_text)
    except json.JSONDecodeError as err:
        raise ModelFileError(f"{path}: the mlplab description is corrupted ({err})") from None
    version = meta.get("format_version")
    if not isinstance(version, int) or meta.get("format") != FORMAT_NAME:
        raise ModelFileError(f"{path}: not an mlplab {kind} (unknown format field)")
    if version > FORMAT_VERSION:
        raise ModelFileError(f"{path}: written by a newer mlplab (file format {version}, this "
                             f"version reads up to {FORMAT_VERSION}); upgrade mlplab")
    if meta.get("kind") != kind:
        raise ModelFileError(f"{path}: this is an mlplab {meta.get('kind')}, not a {kind}")
    try:
        arrays = _safetensors().load(raw)
    except Exception as err:
        raise ModelFileError(f"{path}: the weights are corrupted or truncated ({err})") from None
    for key in meta.get("scalars", []):
        if key in arrays:
            arrays[key] = arrays[key].reshape(())
    return arrays, meta


def _read_header(path: Path, raw: bytes) -> dict[str, Any]:
    """Parse the safetensors header by hand, to say precisely what is wrong with a bad file."""
    problem = f"{path}: not a valid mlplab model file"
    if len(raw) < 8:
        raise ModelFileError(f"{problem} (only {len(raw)} bytes: empty or truncated)")
    size = int.from_bytes(raw[:8], "little")
    if size > len(raw) - 8 or size > 100_000_000:
        raise ModelFileError(f"{problem} (the header is truncated or the file is not "
                             "safetensors)")
    try:
        header = json.loads(raw[8:8 + size].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelFileError(f"{problem} (unreadable header: corrupted, or not "
                             "safetensors)") from None
    if not isinstance(header, dict):
        raise ModelFileError(f"{problem} (unexpected header)")
    end = max((int(v["data_offsets"][1]) for k, v in header.items()
               if k != "__metadata__" and isinstance(v, dict) and "data_offsets" in v),
              default=0)
    if 8 + size + end > len(raw):
        raise ModelFileError(f"{path}: the file is truncated ({len(raw)} bytes, the header "
                             f"promises {8 + size + end}); it was not completely written or "
                             "copied")
    return header
