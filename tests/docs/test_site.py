"""The documentation site builds with ``mkdocs build --strict``, as ``make docs`` does.

Strict mode turns every warning into a failure: a page in the nav that does not
exist, a broken link or anchor, an API reference (``::: mlplab.x``) that does not
resolve, a docstring whose ``Args:`` names a parameter the signature lacks.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("mkdocs", reason="the docs extra: pip install -e '.[docs]'")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert done.returncode == 0, "mkdocs build --strict failed:\n" + "\n".join(
        warnings or done.stderr.splitlines()[-30:])
    return out


def test_every_guide_page_is_built(site):
    for page in sorted((ROOT / "docs").glob("*.md")):
        target = "index.html" if page.stem == "index" else f"{page.stem}/index.html"
        assert (site / target).is_file(), f"{page.name} was not built into the site"


@pytest.mark.parametrize("package", ["autograd", "nn", "optim", "data", "train", "io", "viz",
                                     "runs", "text", "lab", "checks", "reference"])
def test_api_reference_has_the_package(site, package):
    html = (site / "api" / package / "index.html").read_text(encoding="utf-8")
    assert f"mlplab.{package}" in html and html.count('class="doc doc-heading"') > 1


def test_formulas_are_marked_for_mathjax(site):
    pages = [p.read_text(encoding="utf-8") for p in site.glob("*/index.html")]
    assert any('class="arithmatex"' in page for page in pages)
