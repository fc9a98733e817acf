"""What one run of one experiment leaves behind: :class:`Result`, saved as ``result.json``."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from mlplab.io.atomic import write_atomic
from mlplab.lab.findings import Findings

RESULT_FILE = "result.json"


@dataclass
class Result:
    """One experiment's run: the claim as declared, what was measured, and the verdict.

    ``figures`` are file names inside ``OUT/NAME/`` (PNG and SVG of each figure);
    ``command`` is the exact ``mlplab lab run …`` line that repeats this run.
    """

    name: str
    number: int
    group: str
    claim: str
    term: str
    concept: str
    formula: str
    expected: str
    verdict: str
    reason: str
    measured: dict[str, Any]
    seed: int
    quick: bool
    config: dict[str, Any]
    duration_s: float
    version: str
    command: str
    figures: list[str] = field(default_factory=list)
    paper: dict[str, dict[str, Any]] = field(default_factory=dict)
    known_disagreement: str = ""
    table: dict[str, Any] | None = None

    @property
    def findings(self) -> Findings | None:
        """The experiment's table, if it returned one."""
        if self.table is None:
            return None
        return Findings(self.table["title"], tuple(self.table["columns"]),
                        tuple(tuple(row) for row in self.table["rows"]))

    def to_json(self) -> str:
        """The result as indented JSON (NaN and infinities written as strings)."""
        return json.dumps(_plain(asdict(self)), indent=2, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> Result:
        """Read back what :meth:`to_json` wrote (unknown keys are ignored)."""
        data = json.loads(text)
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def save(self, folder: Path) -> Path:
        """Write ``folder/result.json`` atomically; return its path."""
        return write_atomic(Path(folder) / RESULT_FILE, (self.to_json() + "\n").encode())


def table_dict(findings: Findings | None) -> dict[str, Any] | None:
    """A :class:`Findings` table as JSON-ready lists (figures are listed elsewhere)."""
    if findings is None:
        return None
    return {"title": findings.title, "columns": list(findings.columns),
            "rows": [list(map(str, row)) for row in findings.rows]}


def _plain(value: Any) -> Any:
    """``value`` with NumPy scalars/arrays, tuples and paths made JSON-ready."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):  # NumPy scalar or array
        return _plain(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, Path):
        return str(value)
    return value


def load_results(out: Path) -> list[Result]:
    """Every ``OUT/*/result.json`` that can be read (a damaged one is skipped)."""
    results = []
    for path in sorted(Path(out).glob(f"*/{RESULT_FILE}")):
        try:
            results.append(Result.from_json(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError, KeyError):
            continue
    return results


__all__ = ["RESULT_FILE", "Result", "load_results", "table_dict"]
