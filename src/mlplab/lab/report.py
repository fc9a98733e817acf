"""The lab's report: one self-contained ``OUT/index.html`` over a list of results.

Rendered with Jinja2 from ``templates/report.html.j2`` (autoescaped). Figures are
embedded as PNG data URIs, so the page has no external reference: it opens offline,
can be mailed as one file, and loads nothing from a CDN.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from pathlib import Path
from typing import Any

from mlplab.io.atomic import write_atomic
from mlplab.lab.claim import VERDICTS
from mlplab.lab.result import Result
from mlplab.version import __version__

REPORT_FILE = "index.html"


def _shown(value: Any) -> str:
    """A measured value as short text: 4 significant digits, lists and dicts as JSON."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return text if len(text) <= 300 else text[:297] + "..."
    return str(value)


def _figures(result: Result, folder: Path) -> list[dict[str, str]]:
    """The PNG figures of one result as ``{"name", "src"}`` with a data-URI source."""
    shown = []
    for name in result.figures:
        path = folder / name
        if path.suffix == ".png" and path.is_file():
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            shown.append({"name": path.stem, "src": f"data:image/png;base64,{data}"})
    return shown


def _entry(result: Result, out: Path) -> dict[str, Any]:
    return {"r": result, "measured": {k: _shown(v) for k, v in result.measured.items()},
            "config": {k: _shown(v) for k, v in result.config.items()},
            "paper": {k: {"paper": _shown(v.get("paper")), "ours": _shown(v.get("ours"))}
                      for k, v in result.paper.items()},
            "figures": _figures(result, out / result.name), "table": result.findings}


def render_report(results: list[Result], out: Path) -> str:
    """The HTML text of the report (figures read from ``out/NAME/``)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined)
    counts = Counter(r.verdict for r in results)
    return env.get_template("report.html.j2").render(
        entries=[_entry(r, Path(out)) for r in results], version=__version__,
        counts=[(v, counts.get(v, 0)) for v in VERDICTS], total=len(results))


def write_report(results: list[Result], out_dir: str | Path) -> Path:
    """Write ``out_dir/index.html`` over ``results`` (atomically); return its path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return write_atomic(out / REPORT_FILE, render_report(results, out).encode("utf-8"))


__all__ = ["REPORT_FILE", "render_report", "write_report"]
