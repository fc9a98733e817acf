"""Fuzzing: hundreds of damaged model files and checkpoints never crash the loader.

A seeded mutator (``tests.io.mutate``) flips bytes, truncates, and edits the JSON
description and the tensors of a real model file and a real checkpoint. One child
process loads them all under an address-space limit (RLIMIT_AS) a few hundred MiB
above its starting size: every file must load normally or end in ``ModelFileError``
with one line naming it; any other exception, a MemoryError from a huge allocation,
or a hang counts as a failure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import mlplab as ml
from tests.io.hostile import real_model_bytes
from tests.io.mutate import hostile_files

ROOT = Path(__file__).resolve().parents[2]
CASES = 320
HEADROOM_MIB = 384


def _checkpoint_bytes(tmp_path: Path) -> bytes:
    state = {"model": ml.nn.Linear(4, 3, seed=0).state_dict(), "epochs_done": 2,
             "optimizer": {"state": {0: {"step": 3, "v": np.ones((3, 4))}}, "lr": 0.1,
                           "betas": (0.9, 0.999)},
             "rng": np.random.default_rng(0).bit_generator.state, "history": {"loss": [1.0]}}
    return ml.io.save_state(state, tmp_path / "c.safetensors").read_bytes()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc and RLIMIT_AS")
def test_hostile_files_end_in_model_file_error_within_bounded_memory(tmp_path):
    files = hostile_files(tmp_path, real_model_bytes(tmp_path), _checkpoint_bytes(tmp_path),
                          CASES, seed=0)
    listing = tmp_path / "cases.json"
    listing.write_text(json.dumps([[kind, str(path)] for kind, path in files]))
    child = subprocess.run(
        [sys.executable, "-c", "from tests.io.fuzz_child import main; main()", str(listing),
         str(HEADROOM_MIB)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    assert child.returncode == 0, child.stderr[-3000:]
    report = json.loads(child.stdout.strip().splitlines()[-1])
    outcomes = report["outcomes"]
    crashes = {path: what for path, what in outcomes.items() if what.startswith("crash")}
    assert not crashes, crashes
    refused = sum(what == "refused" for what in outcomes.values())
    assert len(outcomes) == CASES and refused > CASES // 2, outcomes
    # the worst single file raised the peak resident size by far less than the limit
    assert report["worst_growth_kib"][1] < 32 * 1024, report["worst_growth_kib"]
