"""``search(config, space, n_trials=…)``: a hyper-parameter search, as an Optuna study.

>>> import mlplab as ml                                                  # doctest: +SKIP
>>> result = ml.tune.search("examples/config_digits.toml", "examples/space.toml",
...                         n_trials=20, workers=2)
>>> result.best_value, result.best_config.lr

The study (settings, trials, values) lives in its storage; the report and plots go to
the study folder (``runs/studies/STUDY``). Calling ``search`` again with the same study
continues it up to ``n_trials`` finished trials: after a crash, or with a larger N.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mlplab.checks import Interval, ParameterError, check
from mlplab.tune.objective import config_for, maximizes
from mlplab.tune.pruning import PRUNERS
from mlplab.tune.space import Space, load_space, parse_space
from mlplab.tune.storage import GRACE_S, HEARTBEAT_S, open_storage, storage_url, study_folder
from mlplab.tune.workers import SAMPLERS, WorkerSpec, grid_values, run_worker, start_workers
from mlplab.tune.zoom import zoom_space

__all__ = ["SearchResult", "search"]

SETTINGS_KEY = "mlplab"


@dataclass
class SearchResult:
    """A finished search: the Optuna study and what the report needs."""

    study: Any  # optuna.Study
    folder: Path
    base: Any  # the base TrainConfig
    space: Space
    metric: str
    regions: list[dict[str, Any]] = field(default_factory=list)  # space of each round
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def best_trial(self) -> Any:
        return self.study.best_trial

    @property
    def best_value(self) -> float:
        return self.study.best_value

    @property
    def best_config(self) -> Any:
        """The best trial's ``TrainConfig`` (``mlplab train --config`` reproduces it)."""
        return config_for(self.base, self.space, self.best_trial.params)

    def trials(self, *states: str) -> list[Any]:
        """The study's trials, optionally only those in ``states`` ('COMPLETE', 'PRUNED', …)."""
        return [t for t in self.study.get_trials(deepcopy=False)
                if not states or t.state.name in states]


def _as_config(config: Any) -> Any:
    from mlplab.runs.config import TrainConfig, load_config, make_config

    if isinstance(config, TrainConfig):
        return config
    if isinstance(config, dict):
        return make_config(config)
    return load_config(config)


def _as_space(space: Any, base: Any) -> Space:
    if isinstance(space, Space):
        return parse_space(space.to_dict(), base)
    if isinstance(space, dict):
        return parse_space(space, base)
    return load_space(space, base)


def _check_options(n_trials: int, sampler: str, metric: str, pruner: str, workers: int,
                   zoom: int, timeout: float | None) -> None:
    check("search", "n_trials", n_trials, Interval(1, None, integer=True))
    check("search", "workers", workers, Interval(1, 64, integer=True))
    check("search", "zoom", zoom, Interval(1, None, integer=True))
    if timeout is not None:
        check("search", "timeout", timeout, Interval(0, None, closed="right"))
    if sampler not in SAMPLERS or pruner not in PRUNERS:
        from mlplab.checks import unknown
        raise (unknown("search", "sampler", sampler, SAMPLERS) if sampler not in SAMPLERS
               else unknown("search", "pruner", pruner, PRUNERS))
    maximizes(metric)
    if zoom > n_trials:
        raise ParameterError(f"search: zoom={zoom} rounds need at least one trial each, got "
                             f"n_trials={n_trials}; e.g. n_trials={3 * zoom}")


def _open_study(url: str, name: str, settings: dict[str, Any], metric: str, spec: Any) -> Any:
    """Create the study, or load it when it exists with the same settings."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = open_storage(url, spec.heartbeat_s, spec.grace_s)
    study = optuna.create_study(study_name=name, storage=storage, load_if_exists=True,
                                direction="maximize" if maximizes(metric) else "minimize")
    stored = study.user_attrs.get(SETTINGS_KEY)
    if stored is None:
        study.set_user_attr(SETTINGS_KEY, settings)
    elif {k: stored.get(k) for k in ("base", "space", "metric")} != \
            {k: settings[k] for k in ("base", "space", "metric")}:
        raise ParameterError(f"search: study {name!r} already exists with another config, "
                             "space or metric; continue it with the same ones, or choose a "
                             "new study name, e.g. --study "
                             f"{name}-2")
    return study


def search(config: Any, space: Any, n_trials: int = 20, *, sampler: str = "random",
           metric: str = "val_loss", pruner: str = "median", storage: str | None = None,
           study: str | None = None, out: str | Path | None = None, workers: int = 1,
           timeout: float | None = None, zoom: int = 1, seed: int = 0,
           heartbeat_s: float = HEARTBEAT_S, grace_s: float = GRACE_S,
           console: Any = None, report: bool = True) -> SearchResult:
    """Search ``space`` around ``config`` until the study holds ``n_trials`` finished trials.

    Args:
        config: the base ``TrainConfig`` (or a TOML path, or a dict of settings).
        space: a :class:`~mlplab.tune.space.Space`, a space-file path or a dict.
        n_trials: finished (complete or pruned) trials the study ends with, in total.
        sampler: 'random', 'grid' (k evenly spaced values per setting, k^d ≤ n_trials)
            or 'tpe' (Optuna's tree-structured Parzen estimator).
        metric: 'val_loss' (minimized) or 'val_accuracy' (maximized), on the dev set.
        pruner: 'median', 'halving' or 'none'.
        storage: an Optuna storage URL; default a SQLite file in the study folder.
        study: the study name (default: the config's run name).
        out: parent of the study folder (default ``runs/studies``).
        workers: worker processes on this machine.
        timeout: seconds after which no new trial starts.
        zoom: coarse-to-fine rounds (:mod:`mlplab.tune.zoom`).
        seed: the samplers' seed.
        heartbeat_s: how often (seconds) a running trial signals that it is alive.
        grace_s: how long after its last signal a running trial counts as dead.
        console: a ``rich`` Console for the progress bar; None runs silently.
        report: write the report and plots into the study folder at the end.
    """
    _check_options(n_trials, sampler, metric, pruner, workers, zoom, timeout)
    base = _as_config(config)
    space = _as_space(space, base)
    name = study or base.run_name
    folder = study_folder(name, out)
    url = storage_url(folder, storage)
    spec = WorkerSpec(storage=url, study=name, base=base.to_dict(), space=space.to_dict(),
                      metric=metric, sampler=sampler, pruner=pruner, n_trials=n_trials,
                      seed=seed, heartbeat_s=heartbeat_s, grace_s=grace_s,
                      deadline=None if timeout is None else time.time() + timeout)
    if sampler == "grid":
        spec.grid_points = grid_values(space, n_trials // zoom)
    settings = {"base": spec.base, "space": spec.space, "metric": metric, "sampler": sampler,
                "n_trials": n_trials, "zoom": zoom}
    optuna_study = _open_study(url, name, settings, metric, spec)
    regions = _run_rounds(optuna_study, space, spec, workers, zoom, console)
    result = SearchResult(optuna_study, folder, base, space, metric, regions)
    if report and result.trials("COMPLETE"):
        from mlplab.tune.report import write_report

        result.files = write_report(result)
    return result


def _run_rounds(study: Any, space: Space, spec: WorkerSpec, workers: int, zoom: int,
                console: Any) -> list[dict[str, Any]]:
    """Run the ``zoom`` rounds; each round's space comes from the previous round's best."""
    regions = []
    region = space
    for round_ in range(zoom):
        if round_:
            ended = [t for t in study.get_trials(deepcopy=False)
                     if t.user_attrs.get("round") == round_ - 1 and t.state.name == "COMPLETE"]
            region = zoom_space(region, ended, maximizes(spec.metric))
        regions.append(region.to_dict())
        study.set_user_attr("regions", regions)
        quota = math.ceil(spec.n_trials * (round_ + 1) / zoom)
        round_spec = replace(spec, space=region.to_dict(), n_trials=quota, round=round_)
        if spec.sampler == "grid" and round_:
            round_spec.grid_points = grid_values(region, quota - len(_finished(study)))
        _run_round(study, round_spec, workers, console, f"round {round_ + 1}/{zoom}"
                   if zoom > 1 else "trials")
    return regions


def _finished(study: Any) -> list[Any]:
    return [t for t in study.get_trials(deepcopy=False) if t.state.name in
            ("COMPLETE", "PRUNED")]


def _run_round(study: Any, spec: WorkerSpec, workers: int, console: Any, label: str) -> None:
    from mlplab.tune.progress import SearchProgress

    with SearchProgress(study, spec.n_trials, console, label) as progress:
        if workers == 1:
            run_worker(spec, callbacks=[progress.trial_done])
            return
        processes, errors = start_workers(spec, workers)
        try:
            while any(p.is_alive() for p in processes):
                progress.poll()
                time.sleep(0.5)
        finally:
            for process in processes:  # Ctrl-C: stop the workers too
                if process.is_alive():
                    process.terminate()
                process.join()
        progress.poll()
        if any(p.exitcode for p in processes):
            message = errors.get(timeout=5) if not errors.empty() else "a worker stopped"
            raise RuntimeError(f"tune: {message}")
