"""Read a safetensors header by hand, to say precisely what is wrong with a bad file.

A safetensors file is::

    [8 bytes: n, little-endian] [n bytes: JSON header] [tensor bytes]

and the header maps each tensor's name to ``{"dtype", "shape", "data_offsets": [begin,
end]}`` (offsets into the tensor bytes), plus an optional ``"__metadata__"`` map of
strings. Checking all of it here, before the safetensors library reads the tensors,
turns every malformed file into one clear message instead of a stray exception.
"""

from __future__ import annotations

import math
from typing import Any

from mlplab.io.schema import JSON_LIST, JSON_OBJECT, TEXT, Invalid, expect, parse_json

MAX_HEADER_BYTES = 100_000_000

# Pickle streams start with the PROTO opcode 0x80 and a protocol number; torch.save and
# joblib files are zip archives of pickles.
_PICKLE_STARTS = tuple(bytes([0x80, protocol]) for protocol in range(2, 6))
_ZIP_START = b"PK\x03\x04"


def refuse_pickle(raw: bytes) -> None:
    """Say so when a file that is not safetensors looks like a pickle (which can run code)."""
    if raw.startswith(_PICKLE_STARTS) or raw.startswith(_ZIP_START):
        raise Invalid("not a valid mlplab model file: this looks like a pickle (torch.save, "
                      "joblib or pickle.dump); mlplab never loads pickles because they can run "
                      "code when read; load it with the library that wrote it and save it "
                      "with ml.save")


def read_header(raw: bytes) -> dict[str, Any]:
    """The parsed and checked JSON header of the safetensors file ``raw``."""
    problem = "not a valid mlplab model file"
    if len(raw) < 8:
        raise Invalid(f"{problem} (only {len(raw)} bytes: empty or truncated)")
    size = int.from_bytes(raw[:8], "little")
    if size > len(raw) - 8 or size > MAX_HEADER_BYTES:
        refuse_pickle(raw)
        raise Invalid(f"{problem} (the header is truncated or the file is not safetensors)")
    try:
        header = parse_json(raw[8:8 + size].decode("utf-8"), "the header")
    except (Invalid, UnicodeDecodeError):
        refuse_pickle(raw)
        raise Invalid(f"{problem} (unreadable header: corrupted, or not safetensors)") from None
    expect("the safetensors header", "header", header, JSON_OBJECT)
    metadata = header.get("__metadata__", {})
    expect("the safetensors header", "__metadata__", metadata, JSON_OBJECT)
    for key, value in metadata.items():
        expect("the safetensors header", f"__metadata__[{key!r}]", value, TEXT)
    end = max((_tensor_end(name, entry) for name, entry in header.items()
               if name != "__metadata__"), default=0)
    if 8 + size + end > len(raw):
        raise Invalid(f"the file is truncated ({len(raw)} bytes, the header promises "
                      f"{8 + size + end}); it was not completely written or copied")
    return header


def _tensor_end(name: str, entry: Any) -> int:
    """Where tensor ``name``'s bytes end, after checking its entry's fields and types."""
    where = f"the safetensors header's tensor {name[:60]!r}"
    shape = entry.get("shape") if isinstance(entry, dict) else None
    offsets = entry.get("data_offsets") if isinstance(entry, dict) else None
    if not (isinstance(shape, list) and isinstance(offsets, list)
            and isinstance(entry.get("dtype"), str)):  # say which field is wrong
        expect(where, "entry", entry, JSON_OBJECT)
        expect(where, "dtype", entry.get("dtype"), TEXT)
        expect(where, "shape", shape, JSON_LIST)
        expect(where, "data_offsets", offsets, JSON_LIST)
    if len(shape) > 64 or not all(_is_count(n) for n in shape):
        raise Invalid(f"{where}: shape must be a list of at most 64 counts >= 0")
    if len(offsets) != 2 or not all(_is_count(n) for n in offsets) or offsets[0] > offsets[1]:
        raise Invalid(f"{where}: data_offsets must be [begin, end] with 0 <= begin <= end")
    if math.prod(shape) > offsets[1] - offsets[0]:  # every dtype takes at least one byte
        raise Invalid(f"{where}: shape {shape} needs more bytes than its data_offsets give")
    return offsets[1]


def _is_count(value: Any) -> bool:
    return type(value) is int and value >= 0  # not a bool, not a float
