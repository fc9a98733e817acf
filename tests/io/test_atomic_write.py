"""Atomic writes: a ``kill -9`` mid-write leaves the old file and a temporary, and the
next successful write of the same target removes that temporary."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mlplab.io.atomic import stale_temporaries, write_atomic

ROOT = Path(__file__).resolve().parents[2]

# writes a temporary for the target, then dies by SIGKILL before renaming it
_KILLED_WRITER = """
import os, signal, sys
from mlplab.io.atomic import write_atomic
os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
write_atomic(sys.argv[1], b"new contents")
"""


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_kill_minus_nine_mid_write_leaves_a_temporary_that_the_next_write_removes(tmp_path):
    target = tmp_path / "model.safetensors"
    write_atomic(target, b"old contents")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    writer = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(target)], env=env,
                              stderr=subprocess.PIPE)
    _, stderr = writer.communicate(timeout=60)
    assert writer.returncode == -signal.SIGKILL, stderr[-2000:]
    assert target.read_bytes() == b"old contents"  # the crash never reaches the target
    [leftover] = _temporaries(tmp_path)
    assert leftover.startswith(f".model.safetensors.{writer.pid}.")

    other = tmp_path / ".other.bin.1.abc.tmp"  # another target's: not ours to remove
    other.write_bytes(b"")
    ours_in_flight = tmp_path / f".model.safetensors.{os.getpid()}.xyz.tmp"
    ours_in_flight.write_bytes(b"")  # this process's: another thread may be writing it
    unnamed_recent = tmp_path / ".model.safetensors.qwerty.tmp"
    unnamed_recent.write_bytes(b"")  # no process id and recent: maybe still being written
    unnamed_old = tmp_path / ".model.safetensors.asdfgh.tmp"
    unnamed_old.write_bytes(b"")
    two_hours_ago = time.time() - 7200
    os.utime(unnamed_old, (two_hours_ago, two_hours_ago))

    assert stale_temporaries(target) == [tmp_path / leftover, unnamed_old]
    write_atomic(target, b"newer contents")
    assert target.read_bytes() == b"newer contents"
    assert _temporaries(tmp_path) == sorted([other.name, ours_in_flight.name,
                                             unnamed_recent.name])
