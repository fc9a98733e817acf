"""The lab's docs list every discovered experiment: on docs/lab.md and its group page."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlplab.lab import catalog

DOCS = Path(__file__).resolve().parents[2] / "docs"
CATALOG = catalog.all_experiments()


@pytest.mark.parametrize("name", list(CATALOG))
def test_experiment_is_on_the_front_page_and_its_group_page(name):
    group = CATALOG[name].claim.group
    front = (DOCS / "lab.md").read_text(encoding="utf-8")
    assert f"`{name}`" in front, f"docs/lab.md does not list `{name}`"
    page = DOCS / "lab" / f"{group}.md"
    assert page.is_file(), f"docs/lab/{group}.md is missing"
    text = page.read_text(encoding="utf-8")
    assert f"mlplab lab run {name}" in text, f"{page.name} has no section for {name}"
    assert f"lab/{group}.md#{name}" in front, f"docs/lab.md does not link {name}"
