"""Workers: processes that take trials from one shared study until it has N of them.

Each worker (a process, so K of them use K cores: NumPy training holds the GIL between
array operations) loads the study from the storage and loops:

1. mark trials whose worker died (heartbeat older than the grace period, or never
   started) as FAIL;
2. stop when N trials are finished (COMPLETE or PRUNED); wait while the running
   trials would reach N;
3. else run one trial with Optuna (``study.optimize(..., n_trials=1)``, which keeps
   the trial's heartbeat); a trial that finds N trials numbered before it already
   finished or running is a *surplus* trial of a race between workers: it stops at
   once, stored as FAIL with ``surplus`` set, so the study never exceeds N.

Trial numbers come from the storage, so workers on one or many machines never share
one. ``run_worker`` is also what a single in-process search runs.
"""

from __future__ import annotations

import math
import os
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from mlplab.checks import unknown
from mlplab.tune.objective import InvalidTrial, Objective
from mlplab.tune.pruning import make_pruner
from mlplab.tune.space import Space, parse_space

__all__ = ["SAMPLERS", "WorkerSpec", "grid_values", "make_sampler", "run_worker",
           "start_workers"]

SAMPLERS = ("random", "grid", "tpe")
POLL_S = 0.5


class Surplus(RuntimeError):
    """This trial would take the study past its N trials."""


@dataclass
class WorkerSpec:
    """Everything a worker process needs (picklable: plain values only)."""

    storage: str
    study: str
    base: dict[str, Any]
    space: dict[str, Any]
    metric: str
    sampler: str
    pruner: str
    n_trials: int  # finished trials the study should hold at the end of this round
    round: int = 0
    seed: int = 0
    worker: int = 0
    deadline: float | None = None  # time.time() after which no trial starts
    heartbeat_s: float = 10
    grace_s: float = 30
    grid_points: dict[str, list[Any]] = field(default_factory=dict)


def grid_values(space: Space, n_trials: int) -> dict[str, list[Any]]:
    """Grid points per stored parameter: all choices, and k evenly spaced values (on each
    setting's scale) for the rest, with k the largest whose grid fits in ``n_trials``."""
    choices = math.prod(len(d.choices) for d in space if d.kind == "choice")
    numeric = [d for d in space if d.kind != "choice"]
    k = 1
    while numeric and choices * (k + 1) ** len(numeric) <= n_trials:
        k += 1
    return {d.param: d.grid(k) for d in space}


def make_sampler(name: str, seed: int, grid: dict[str, list[Any]] | None = None) -> Any:
    """The Optuna sampler called ``name`` (one of :data:`SAMPLERS`)."""
    import optuna

    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed, n_startup_trials=5)
    if name == "grid":
        return optuna.samplers.GridSampler(grid or {}, seed=seed)
    raise unknown("tune", "sampler", name, SAMPLERS)


def _counts(study: Any) -> tuple[int, int, int]:
    """(finished, running, failed) trials of the study."""
    from optuna.trial import TrialState

    states = [t.state for t in study.get_trials(deepcopy=False)]
    done = sum(s in (TrialState.COMPLETE, TrialState.PRUNED) for s in states)
    return done, states.count(TrialState.RUNNING), states.count(TrialState.FAIL)


def _guarded(objective: Objective, n_trials: int) -> Any:
    """The objective, refusing a trial that would take the study past ``n_trials``."""
    from optuna.trial import TrialState

    def run(trial: Any) -> float:
        # first thing: a RUNNING trial without it is one whose worker died before starting it
        trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
        ahead = [t for t in trial.study.get_trials(deepcopy=False)
                 if t.number < trial.number and t.state in
                 (TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING)]
        if len(ahead) >= n_trials:
            trial.set_user_attr("surplus", True)
            raise Surplus("the study already has its trials")
        return objective(trial)

    return run


def run_worker(spec: WorkerSpec, callbacks: list[Any] = ()) -> None:
    """Run trials of ``spec.study`` until it holds ``spec.n_trials`` finished trials."""
    import optuna

    from mlplab.runs.config import make_config
    from mlplab.tune.storage import fail_dead_trials, open_storage

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = open_storage(spec.storage, spec.heartbeat_s, spec.grace_s)
    existing = len(storage.get_all_trials(storage.get_study_id_from_name(spec.study),
                                          deepcopy=False))
    sampler = make_sampler(spec.sampler, hash((spec.seed, spec.worker, existing)) % 2**31,
                           spec.grid_points)
    study = optuna.load_study(study_name=spec.study, storage=storage, sampler=sampler,
                              pruner=make_pruner(spec.pruner))
    objective = Objective(make_config(spec.base), parse_space(spec.space), spec.metric,
                          spec.round)
    guarded = _guarded(objective, spec.n_trials)
    while spec.deadline is None or time.time() < spec.deadline:
        fail_dead_trials(study, spec.grace_s)
        done, running, failed = _counts(study)
        if done >= spec.n_trials:
            return
        if failed > 2 * spec.n_trials + 10:
            raise RuntimeError(f"tune: {failed} trials of study {spec.study!r} failed; see "
                               "their 'error' in the report and fix the space or config")
        if done + running >= spec.n_trials:
            time.sleep(POLL_S)
            continue
        study.optimize(guarded, n_trials=1, catch=(InvalidTrial, Surplus),
                       callbacks=list(callbacks), gc_after_trial=False)


def _process_main(spec: WorkerSpec, errors: Any) -> None:
    try:
        run_worker(spec)
    except BaseException as err:  # the parent reports it as one line
        errors.put(f"worker {spec.worker}: {err}")
        raise SystemExit(1) from None


def start_workers(spec: WorkerSpec, workers: int) -> tuple[list[Any], Any]:
    """Start ``workers`` worker processes (spawned: no state shared but the storage);
    returns the processes and the queue their error lines arrive on."""
    import multiprocessing
    from dataclasses import replace

    context = multiprocessing.get_context("spawn")
    errors = context.Queue()
    processes = [context.Process(target=_process_main, args=(replace(spec, worker=i), errors),
                                 name=f"mlplab-tune-worker-{i}", daemon=False)
                 for i in range(workers)]
    for process in processes:
        process.start()
    return processes, errors
