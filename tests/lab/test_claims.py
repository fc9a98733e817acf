"""Every experiment of the lab, in quick mode with seed 0: a verdict, a valid result.json,
its figures, and no "fail" unless the claim declares a known disagreement."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import mlplab.lab as lab
from mlplab.lab import catalog

CATALOG = catalog.all_experiments()
CONCEPTS = Path(__file__).resolve().parents[2] / "docs" / "concepts.md"


@pytest.mark.parametrize("name", list(CATALOG))
def test_claim_in_quick_mode(name, tmp_path):
    result = lab.run(name, quick=True, seed=0, out=tmp_path)
    claim = CATALOG[name].claim
    assert result.verdict in lab.VERDICTS
    saved = json.loads((tmp_path / name / "result.json").read_text(encoding="utf-8"))
    assert saved["verdict"] == result.verdict and saved["measured"], saved
    assert saved["reason"].strip() and saved["command"].startswith(f"mlplab lab run {name}")
    stems = {Path(f).stem for f in result.figures}
    assert stems, f"{name} drew no figure"
    for stem in stems:
        for suffix in (".png", ".svg"):
            assert (tmp_path / name / f"{stem}{suffix}").stat().st_size > 0
    if result.verdict == "fail":
        assert claim.known_disagreement, f"{name} fails in quick mode: {result.reason}"


def test_every_claim_is_declared_completely():
    headings = set(re.findall(r"^## (.+?)\s*$", CONCEPTS.read_text(encoding="utf-8"), re.M))
    for name, experiment in CATALOG.items():
        claim = experiment.claim
        assert claim.concept in headings, f"{name}: concept {claim.concept!r} is no heading"
        assert claim.claim.strip() and claim.expected.strip(), name
        assert claim.quick_s > 0 and claim.full_s >= claim.quick_s, name
