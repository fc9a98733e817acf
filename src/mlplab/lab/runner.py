"""Running experiments: check the options, time the run, save ``result.json`` and figures.

``run("NAME")`` runs one experiment and returns its :class:`~mlplab.lab.result.Result`;
``run_many(names)`` runs several (or ``"all"``) and, given an output folder, renders
the report ``OUT/index.html`` over every result saved there.
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from mlplab.checks import BOOLEAN, NON_NEGATIVE_INT, check, check_all, unknown
from mlplab.lab import catalog
from mlplab.lab.claim import VERDICTS, Outcome
from mlplab.lab.context import Context
from mlplab.lab.result import Result, load_results, table_dict
from mlplab.version import __version__


def rerun_command(name: str, quick: bool, seed: int, options: Mapping[str, Any]) -> str:
    """The ``mlplab lab run …`` line that repeats a run (without ``--out``).

    >>> rerun_command("logic-gates", False, 3, {"epochs": 50})
    'mlplab lab run logic-gates --full --seed 3 --option epochs=50'
    """
    words = ["mlplab", "lab", "run", name] + ([] if quick else ["--full"])
    words += ["--seed", str(seed)]
    for key, value in options.items():
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        words += ["--option", f"{key}={shown}"]
    return shlex.join(words)


def run(name: str, quick: bool = True, seed: int = 0, out: str | Path | None = None,
        **options: Any) -> Result:
    """Run experiment ``name`` and judge its claim.

    ``out`` is the lab's output folder: the run writes ``OUT/NAME/result.json`` and
    its figures there (nothing is written when it is None). ``options`` are the
    experiment's own settings, checked against ``CLAIM.options``.
    """
    experiment = catalog.get(name)
    owner = f"lab {name}"
    check(owner, "seed", seed, NON_NEGATIVE_INT)
    check(owner, "quick", quick, BOOLEAN)
    check_all(owner, options, experiment.claim.options, skip=())
    folder = Path(out) / name if out is not None else None
    lab = Context(quick=quick, seed=int(seed), out=folder, options=dict(options))
    start = time.perf_counter()
    outcome = experiment.run(lab)
    duration = time.perf_counter() - start
    if not isinstance(outcome, Outcome) or outcome.verdict not in VERDICTS:
        raise TypeError(f"{owner}: run() must return an Outcome with a verdict in "
                        f"{', '.join(VERDICTS)}; got {outcome!r:.80}")
    result = _result(experiment, outcome, lab, duration)
    if folder is not None:
        result.save(folder)
    return result


def _result(experiment: catalog.Experiment, outcome: Outcome, lab: Context,
            duration: float) -> Result:
    claim = experiment.claim
    return Result(
        name=claim.name, number=claim.number, group=claim.group, claim=claim.claim,
        term=claim.term, concept=claim.concept, formula=claim.formula,
        expected=claim.expected, verdict=outcome.verdict, reason=outcome.reason,
        measured=dict(outcome.measured), seed=lab.seed, quick=lab.quick,
        config=dict(outcome.config), duration_s=round(duration, 3), version=__version__,
        command=rerun_command(claim.name, lab.quick, lab.seed, lab.options),
        figures=[p.name for p in lab.figures], paper=dict(outcome.paper),
        known_disagreement=claim.known_disagreement, table=table_dict(outcome.table))


def selected(names: Iterable[str] | str) -> list[str]:
    """``"all"`` → every experiment in catalog order; else the names, each checked."""
    if isinstance(names, str):
        return list(catalog.all_experiments()) if names == "all" else [catalog.get(names).name]
    chosen = [catalog.get(name).name for name in names]
    if not chosen:
        raise ValueError("lab: no experiment named; give one or more names, or 'all'")
    return list(dict.fromkeys(chosen))


def options_for(names: list[str], options: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Each experiment's share of ``options``: those it declares. An option that none of
    them declares is an error (it would silently do nothing)."""
    declared = {n: catalog.get(n).claim.options for n in names}
    every = {key for table in declared.values() for key in table}
    owner = f"lab {' '.join(names)}" if len(names) < 4 else "lab run"
    for key in options:
        if not every:
            raise ValueError(f"{owner}: takes no options, got {key!r}; run it without "
                             "--option")
        if key not in every:
            raise unknown(owner, "option", key, every)
    return {n: {k: v for k, v in options.items() if k in table} for n, table in
            declared.items()}


def run_many(names: Iterable[str] | str = "all", quick: bool = True, seed: int = 0,
             out: str | Path | None = None, *,
             on_result: Callable[[Result], None] | None = None, **options: Any) -> list[Result]:
    """Run several experiments (``"all"`` for the whole catalog), in catalog order.

    With ``out``, each result is saved in ``OUT/NAME/`` and ``OUT/index.html`` is
    rendered over every result in ``OUT`` (earlier runs of other experiments
    included). ``on_result`` is called after each experiment (a progress display).
    An experiment that raises does not stop the others: once they have run (and the
    report is written), a RuntimeError names every one that raised.
    """
    chosen = selected(names)
    shares = options_for(chosen, options)
    results, crashed = [], []
    for name in chosen:
        try:
            results.append(run(name, quick=quick, seed=seed, out=out, **shares[name]))
        except Exception as err:  # one broken experiment must not cost the others' results
            if len(chosen) == 1:
                raise
            crashed.append(f"{name} ({type(err).__name__}: {str(err)[:200]})")
            continue
        if on_result is not None:
            on_result(results[-1])
    if out is not None and results:
        from mlplab.lab.report import write_report

        write_report(merged(results, Path(out)), Path(out))
    if crashed:
        raise RuntimeError(f"lab: {len(crashed)} of {len(chosen)} experiments raised an error "
                           f"(the others' results are saved): {'; '.join(crashed)}; run one "
                           "alone with 'mlplab --debug lab run NAME' for the traceback")
    return results


def merged(results: list[Result], out: Path) -> list[Result]:
    """``results`` plus the results of other experiments saved earlier in ``out``,
    in catalog order."""
    fresh = {r.name for r in results}
    every = [r for r in load_results(out) if r.name not in fresh] + list(results)
    order = {name: i for i, name in enumerate(catalog.all_experiments())}
    return sorted(every, key=lambda r: (order.get(r.name, len(order)), r.number, r.name))


__all__ = ["merged", "options_for", "rerun_command", "run", "run_many", "selected"]
