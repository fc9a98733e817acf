"""What a lab experiment declares before it runs, and what it hands back after.

An experiment is one module in ``mlplab/lab/experiments/`` with two names:

- ``CLAIM``: a :class:`Claim`: the sentence it tests, the course's term for it, and the
  margin that decides the verdict, written down *before* anything runs;
- ``run(lab: Context) -> Outcome``: trains, measures, draws (through ``lab.save``) and
  judges, returning an :class:`Outcome`.

The catalog (``mlplab.lab.catalog``) finds every such module, times it, writes
``result.json`` and the figures into ``OUT/NAME/``, and renders the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from mlplab.lab.findings import Findings

Verdict = Literal["pass", "fail", "inconclusive"]
"""``pass``: the measured comparison holds with its margin; ``fail``: it is contradicted
beyond the margin; ``inconclusive``: the measurement cannot tell (never shown as a pass)."""

VERDICTS: tuple[Verdict, ...] = ("pass", "fail", "inconclusive")


@dataclass(frozen=True)
class Claim:
    """One claim of the course (or of a classic paper), declared before running.

    ``number`` orders the catalog (the claim's place in the lab's list; several
    experiments may share one); ``group`` is the docs page that shows it
    (``docs/lab/<group>.md``); ``concept`` is the heading of ``docs/concepts.md`` it
    illustrates. ``expected`` states the comparison and its margin in words, e.g.
    "ReLU reaches 95 % train accuracy in fewer epochs than tanh in >= 4 of 5 seeds".
    ``quick_s``/``full_s`` are measured durations (seconds, two cores).
    ``known_disagreement``, when set, explains why quick mode may not confirm the
    course; only then is a ``fail`` tolerated by the test suite.
    """

    name: str
    number: int
    claim: str
    term: str
    concept: str
    group: str
    expected: str
    formula: str = ""
    quick_s: float = 10.0
    full_s: float = 60.0
    paper: str = ""
    known_disagreement: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)
    """Option name → its ``mlplab.checks`` constraint; defaults live in ``Context.option``."""


@dataclass
class Outcome:
    """What one run measured and how it judged the claim.

    ``measured`` holds the numbers the verdict reads (JSON-ready: numbers, strings,
    short lists); ``reason`` is one sentence with those numbers; ``paper`` maps a
    quantity to ``{"paper": value, "ours": value}`` where the claim comes from a paper.
    """

    verdict: Verdict
    reason: str
    measured: dict[str, Any]
    table: Findings | None = None
    config: dict[str, Any] = field(default_factory=dict)
    paper: dict[str, dict[str, Any]] = field(default_factory=dict)
