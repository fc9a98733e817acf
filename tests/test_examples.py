"""Every script in examples/ runs to the end (quick settings), so the examples cannot rot."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

ARGS = {
    "data_tour.py": [],
    "logic_gates_and_xor.py": [],
    "optimizers_on_rosenbrock.py": ["--steps", "300", "--plot", "{tmp}/rosenbrock.png"],
    "text_classification.py": ["--quick", "--data", "{data}"],
    "train_digits.py": ["--epochs", "5", "--output-dir", "{tmp}/runs"],
}


def test_every_example_is_listed():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(ARGS)


@pytest.mark.parametrize("script", sorted(ARGS))
def test_example_runs(script, tmp_path, datasets_dir):
    args = [a.format(tmp=tmp_path, data=datasets_dir) for a in ARGS[script]]
    env = {**os.environ, "MPLBACKEND": "Agg", "MLPLAB_DATA": str(datasets_dir)}
    done = subprocess.run([sys.executable, str(EXAMPLES / script), *args], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip(), "an example should show what it did"
    if script == "text_classification.py":  # every model learns, even on --quick subsets
        scores = [float(s) for s in re.findall(r"test accuracy (\d\.\d+)", done.stdout)]
        assert len(scores) == 3 and min(scores) > 0.7, done.stdout
