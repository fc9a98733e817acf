"""docs/concepts.md points at real things: every test it cites and every public name exists,
and every claims-lab experiment it names is registered, and each registered one is named."""

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
LAB_LINK = re.compile(r"\(lab/(\w+)\.md#([\w-]+)\)")  # [lab: NAME](lab/GROUP.md#NAME)
# in a row's test column: "... test_claim_in_quick_mode` (`NAME`: pass)", "(`NAME`, shows ...)"
LAB_NAME = re.compile(r"`([a-z0-9]+(?:-[a-z0-9]+)*)`[:),]")
ROWS = [line for line in INDEX.splitlines() if line.startswith("| ")]


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


def _experiments() -> dict:
    from mlplab.lab import catalog

    return catalog.all_experiments()


def test_every_cited_lab_experiment_is_registered_on_its_page():
    experiments = _experiments()
    wrong = []
    for group, name in set(LAB_LINK.findall(INDEX)):
        page = REPO / "docs" / "lab" / f"{group}.md"
        if name not in experiments:
            wrong.append(f"lab/{group}.md#{name}: no experiment {name!r}")
        elif experiments[name].claim.group != group:
            wrong.append(f"lab/{group}.md#{name}: it is on lab/{experiments[name].claim.group}.md")
        elif f"{{#{name}}}" not in page.read_text(encoding="utf-8"):
            wrong.append(f"lab/{group}.md has no section {{#{name}}}")
    for row in ROWS:
        if "test_claim_in_quick_mode" in row or "by the lab" in row:
            wrong += [f"`{name}` in: {row[:60]}" for name in LAB_NAME.findall(row)
                      if name not in experiments]
    assert sorted(wrong) == []


def test_every_registered_experiment_is_linked_from_a_concept_row():
    linked = {name for row in ROWS for _, name in LAB_LINK.findall(row)}
    assert sorted(set(_experiments()) - linked) == []


def test_no_row_keeps_the_old_not_yet_reproduced_marker():
    # A claim is either measured by a named lab experiment or "not reproduced by the lab".
    assert [row[:60] for row in ROWS if "not yet reproduced" in row] == []
