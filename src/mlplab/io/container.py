"""The file container: one safetensors file with mlplab's JSON description in its header.

safetensors holds only raw tensors and a string→string metadata map, so loading
can never run code (unlike pickle). Writes go to a temporary file in the same
folder, are flushed to disk, and then renamed over the target: a crash leaves
either the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.io.atomic import write_atomic
from mlplab.io.header import read_header
from mlplab.io.schema import JSON_LIST, TEXT, Invalid, ModelFileError, expect, parse_json, reading

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "ModelFileError", "read_file", "write_atomic",
           "write_file"]

FORMAT_NAME = "mlplab"
FORMAT_VERSION = 1
_META_KEY = "mlplab"


def _safetensors() -> Any:
    try:
        import safetensors.numpy as st
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError("saving and loading models needs safetensors: "
                          "pip install 'mlplab[io]'") from err
    return st


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
    """Read arrays and header; every failure becomes one ``ModelFileError`` naming the file.

    Memory stays within a small multiple of the file's size: the header is checked
    before the safetensors library reads the tensors it declares.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such {kind} file")
    raw = path.read_bytes()
    with reading(path):
        meta_text = read_header(raw).get("__metadata__", {}).get(_META_KEY)
        if meta_text is None:
            raise Invalid(f"not an mlplab {kind} (a safetensors file without mlplab's "
                          "description; it may come from another library)")
        meta = _read_meta(parse_json(meta_text, "the mlplab description"), kind)
        try:
            arrays = _safetensors().load(raw)
        except Exception as err:  # the library's own errors vary by version
            raise Invalid(f"the weights are corrupted or truncated ({err})") from None
        _restore_scalars(meta, arrays)
    return arrays, meta


def _read_meta(meta: Any, kind: str) -> dict[str, Any]:
    """Check the description's envelope: format, version, kind, nesting."""
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise Invalid(f"not an mlplab {kind} (unknown format field)")
    version = meta.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise Invalid(f"not an mlplab {kind} (unknown format field)")
    if version > FORMAT_VERSION:
        raise Invalid(f"written by a newer mlplab (file format {version}, this version reads "
                      f"up to {FORMAT_VERSION}); upgrade mlplab")
    if meta.get("kind") != kind:
        found = meta.get("kind")
        named = found if isinstance(found, str) and len(found) < 40 else "unknown kind of file"
        raise Invalid(f"this is an mlplab {named}, not a {kind}")
    return meta  # its depth is bounded: parse_json measured it


def _restore_scalars(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Give 0-d arrays back their shape (safetensors stored them as shape (1,))."""
    for key in expect("the mlplab description", "scalars", meta.get("scalars", []), JSON_LIST):
        expect("the mlplab description", "scalars[...]", key, TEXT)
        if key not in arrays or arrays[key].size != 1:
            raise Invalid(f"the description lists {key[:60]!r} as a scalar, but the file holds "
                          "no one-element tensor of that name")
        arrays[key] = arrays[key].reshape(())
