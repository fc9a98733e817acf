"""The IDX file format of MNIST and Fashion-MNIST, read and written with NumPy and gzip.

An IDX file is a big-endian header followed by the raw array:

    magic (uint32) = 0x00 0x00 <type code> <ndim>
    ndim sizes (uint32 each)
    prod(sizes) values of the given type, row-major

MNIST uses type 0x08 (unsigned byte): images have magic 2051 (= 0x0803, three
dimensions n × 28 × 28) and labels magic 2049 (= 0x0801, one dimension n).
Files may be gzip-compressed (``.gz``), as they are published. Every check
failure names the file, so a corrupted or truncated download is easy to spot.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from pathlib import Path

import numpy as np

__all__ = ["read_idx", "write_idx", "IDX_IMAGES_MAGIC", "IDX_LABELS_MAGIC"]

IDX_IMAGES_MAGIC = 2051
IDX_LABELS_MAGIC = 2049

# IDX type code -> big-endian NumPy dtype
_TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def _read_bytes(path: Path) -> bytes:
    """The file's (decompressed) bytes; gzip errors become one clear ValueError."""
    if not path.is_file():
        raise FileNotFoundError(f"IDX file not found: {path}")
    with open(path, "rb") as fh:
        raw = fh.read()
    if raw[:2] != b"\x1f\x8b":  # not gzip: an already-decompressed IDX file
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as err:
        raise ValueError(
            f"{path}: the gzip stream is corrupted or truncated ({err}); "
            "delete the file and download it again"
        ) from None


def read_idx(path: str | os.PathLike, expected_magic: int | None = None) -> np.ndarray:
    """Read an IDX (optionally gzip-compressed) file into an ndarray.

    Args:
        path: the file.
        expected_magic: e.g. 2051 for MNIST images, 2049 for labels; any other
            magic number is reported as a wrong or corrupted file.

    Returns:
        An array of the header's shape in native byte order (uint8 for MNIST).

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: wrong magic number, unknown type, or a size that does not
            match the header (truncated or padded file); the message names the file.
    """
    path = Path(path)
    data = _read_bytes(path)
    if len(data) < 4:
        raise ValueError(f"{path}: file too short for an IDX header ({len(data)} bytes)")
    (magic,) = struct.unpack(">I", data[:4])
    if expected_magic is not None and magic != expected_magic:
        raise ValueError(
            f"{path}: bad magic number {magic}, expected {expected_magic}; the file is not "
            "the expected IDX file or is corrupted"
        )
    type_code, ndim = (magic >> 8) & 0xFF, magic & 0xFF
    if magic >> 16 != 0 or type_code not in _TYPES or ndim == 0:
        raise ValueError(f"{path}: bad magic number {magic}; this is not an IDX file")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"{path}: truncated header ({len(data)} bytes, need {header})")
    shape = struct.unpack(f">{ndim}I", data[4:header])
    dtype = _TYPES[type_code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    got = len(data) - header
    if got != expected:
        what = "truncated" if got < expected else "has trailing bytes"
        raise ValueError(
            f"{path}: file {what}: header says shape {tuple(shape)} ({expected} bytes of data), "
            f"found {got}; delete the file and download it again"
        )
    array = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="))  # a writable, native-order copy


def write_idx(path: str | os.PathLike, array: np.ndarray, *, compress: bool | None = None) -> None:
    """Write ``array`` as an IDX file (gzip-compressed when the name ends in .gz).

    The inverse of :func:`read_idx`; useful for exporting augmented data in the
    MNIST format and for tests.
    """
    path = Path(path)
    array = np.asarray(array)
    codes = {dt.newbyteorder("="): code for code, dt in _TYPES.items()}
    native = array.dtype.newbyteorder("=")
    if native not in codes:
        raise TypeError(
            f"array: dtype {array.dtype} has no IDX type code; use one of "
            "uint8, int8, int16, int32, float32, float64"
        )
    magic = (codes[native] << 8) | array.ndim
    payload = (
        struct.pack(f">I{array.ndim}I", magic, *array.shape)
        + array.astype(native.newbyteorder(">")).tobytes()
    )
    if compress is None:
        compress = path.suffix == ".gz"
    if compress:
        payload = gzip.compress(payload, mtime=0)
    path.write_bytes(payload)
