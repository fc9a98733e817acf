"""docs/concepts.md points at real things: every test it cites and every public name exists."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INDEX = (REPO / "docs" / "concepts.md").read_text(encoding="utf-8")
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
API_REF = re.compile(r"`(ml(?:plab)?(?:\.\w+)+)`")


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.ClassDef)}


def test_every_cited_test_exists():
    missing = []
    for file, name in set(TEST_REF.findall(INDEX)):
        path = REPO / file
        if not path.is_file() or name not in _test_names(path):
            missing.append(f"{file}::{name}")
    assert sorted(missing) == []
    assert len(TEST_REF.findall(INDEX)) >= 100  # the index really links concepts to tests


def _resolve(dotted: str) -> object:
    parts = dotted.replace("ml.", "mlplab.", 1).split(".") if dotted.startswith("ml.") \
        else dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


@pytest.mark.parametrize("dotted", sorted(set(API_REF.findall(INDEX))))
def test_every_cited_public_name_exists(dotted):
    _resolve(dotted)
