"""Atomic file writes: a temporary file beside the target, flushed, then renamed over it.

A crash (even ``kill -9``) during a write leaves either the old file or the new
one, never half of one; what it can leave is the temporary file itself,
``.NAME.<pid>.<random>.tmp`` beside ``NAME``. The next successful write of the
same target removes such leftovers: those whose writing process no longer runs
(the process id is part of the name) and, for names without one, those older
than an hour.
"""

from __future__ import annotations

import errno
import glob
import os
import tempfile
import time
from pathlib import Path

__all__ = ["stale_temporaries", "write_atomic"]

# a temporary without a process id in its name (another writer's) counts as stale
# only after this long, so that a write in progress is never taken for a leftover
_STALE_AFTER_S = 3600.0


def write_atomic(path: str | Path, payload: bytes) -> Path:
    """Write ``payload`` to ``path`` via a temporary file and an atomic rename; then remove
    the temporaries that crashed writes of ``path`` left behind."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory; give a file name inside it",
                                str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                                   dir=path.parent)
    except OSError as err:  # name the file the caller asked for, not the temporary
        raise type(err)(err.errno, err.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):  # POSIX; Windows has no umask to follow
                os.fchmod(handle.fileno(), _umask_mode())
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for leftover in stale_temporaries(path):
        leftover.unlink(missing_ok=True)  # another cleaner may have been first
    return path


def _umask_mode() -> int:
    """0666 less the process's umask: the mode ``open()`` would give a new file (mkstemp's
    own 0600 would survive the rename and make run files private, unlike their plots)."""
    try:  # Linux states it; reading it is safe while other threads create files
        with open("/proc/self/status", encoding="ascii") as status:
            mask = next(int(line.split()[1], 8) for line in status
                        if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        mask = os.umask(0o022)  # elsewhere: read it by setting it, then put it back
        os.umask(mask)
    return 0o666 & ~mask


def stale_temporaries(path: str | Path) -> list[Path]:
    """The temporaries of ``path`` left by writes that can no longer finish."""
    path = Path(path)
    prefix = f".{path.name}."
    pattern = os.path.join(glob.escape(str(path.parent)), glob.escape(prefix) + "*.tmp")
    return [Path(p) for p in sorted(glob.glob(pattern))
            if _is_stale(Path(p), Path(p).name[len(prefix):-len(".tmp")])]


def _is_stale(tmp: Path, middle: str) -> bool:
    """``middle`` is what mkstemp put between the target's name and '.tmp': '<pid>.<random>'."""
    pid_text, dot, _ = middle.partition(".")
    if dot and pid_text.isdigit():
        pid = int(pid_text)
        if pid == os.getpid():
            return False  # one of our own threads may be writing it right now
        if os.name == "posix":
            return not _running(pid)
    try:
        return time.time() - tmp.stat().st_mtime > _STALE_AFTER_S
    except OSError:
        return False  # already gone


def _running(pid: int) -> bool:
    """True when a process with this id exists (POSIX: signal 0 probes without sending)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True
