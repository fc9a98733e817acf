"""The README's Python snippets run as written (a new user's first contact must not break)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_blocks_run(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "the README should show Python usage"
    monkeypatch.chdir(tmp_path)  # snippets may write files (ml.save)
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 - our own README
    assert namespace["f"].item() == 6.0
    assert float(namespace["x"].grad) == 5.0 and float(namespace["y"].grad) == 2.0
