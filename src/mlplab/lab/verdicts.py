"""Turning measurements into verdicts with margins stated before the run.

Each helper returns a :data:`~mlplab.lab.claim.Verdict`. A comparison inside its
margin is ``inconclusive``: the lab never rounds a near-tie up to a pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mlplab.lab.claim import Verdict


def at_least(value: float, bound: float, margin: float = 0.0) -> Verdict:
    """``pass`` if value >= bound + margin, ``fail`` if value < bound - margin, else inconclusive.

    >>> at_least(0.97, 0.95), at_least(0.90, 0.95), at_least(0.95, 0.95, margin=0.01)
    ('pass', 'fail', 'inconclusive')
    """
    if value != value:  # NaN measures nothing
        return "inconclusive"
    if value >= bound + margin:
        return "pass"
    return "fail" if value < bound - margin else "inconclusive"


def at_most(value: float, bound: float, margin: float = 0.0) -> Verdict:
    """``pass`` if value <= bound - margin, ``fail`` if value > bound + margin, else inconclusive.

    >>> at_most(1e-9, 1e-7), at_most(1e-3, 1e-7)
    ('pass', 'fail')
    """
    return at_least(-value, -bound, margin)


def in_k_of_n(outcomes: Sequence[bool], k: int) -> Verdict:
    """``pass`` if at least ``k`` outcomes hold, ``fail`` if at least ``k`` do not.

    Between the two (say 3 of 5 with k = 4), the seeds disagree: inconclusive.

    >>> in_k_of_n([True] * 4 + [False], 4), in_k_of_n([True, False] * 2 + [True], 4)
    ('pass', 'inconclusive')
    """
    held = sum(bool(o) for o in outcomes)
    if held >= k:
        return "pass"
    return "fail" if len(outcomes) - held >= k else "inconclusive"


def all_hold(verdicts: Iterable[Verdict]) -> Verdict:
    """A claim made of parts: any ``fail`` fails it, else any ``inconclusive`` leaves it so.

    >>> all_hold(["pass", "pass"]), all_hold(["pass", "inconclusive"]), all_hold(["fail", "pass"])
    ('pass', 'inconclusive', 'fail')
    """
    verdicts = list(verdicts)
    if "fail" in verdicts:
        return "fail"
    return "inconclusive" if "inconclusive" in verdicts else "pass"
