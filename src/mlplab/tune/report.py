"""The search's report, in the study folder (also ``mlplab tune report STUDY``).

- ``report.md`` — the best trials as a table, each round's region (coarse to fine),
  the parameter importances;
- ``best_config.toml`` — the best trial's full config: ``mlplab train --config`` on it
  trains that trial's model again, to the same dev metric;
- ``trials.csv`` — every trial: number, state, value, round, settings;
- ``importances.json`` — fANOVA importances (Optuna's): the share of the metric's
  variance each setting explains, from a random forest fitted to the trials;
- ``history.png``, ``slice.png``, ``contour.png`` (the two most important settings),
  ``importances.png`` — Optuna's matplotlib plots.

Every file is written atomically.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path
from typing import Any

from mlplab.io.atomic import write_atomic

__all__ = ["best_rows", "importances", "load_result", "write_report"]

TOP = 10


def _text(path: Path, text: str) -> Path:
    return write_atomic(path, text.encode("utf-8"))


def best_rows(result: Any, top: int = TOP) -> list[dict[str, Any]]:
    """The ``top`` complete trials, best first: number, value, round and settings."""
    trials = result.trials("COMPLETE")
    trials.sort(key=lambda t: t.value, reverse=result.study.direction.name == "MAXIMIZE")
    return [{"trial": t.number, result.metric: t.value, "round": t.user_attrs.get("round", 0),
             **result.space.values(t.params)} for t in trials[:top]]


def importances(result: Any) -> dict[str, float]:
    """Setting → fANOVA importance (sums to 1); {} with too few complete trials."""
    import optuna

    varied = [t for t in result.trials("COMPLETE")]
    if len(varied) < 3:
        return {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = optuna.importance.get_param_importances(
                result.study, evaluator=optuna.importance.FanovaImportanceEvaluator(seed=0))
    except (RuntimeError, ValueError):  # e.g. every trial drew the same values
        return {}
    names = {d.param: d.name for d in result.space}
    return {names.get(k, k): float(v) for k, v in found.items()}


def _fmt(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _markdown(result: Any, rows: list[dict[str, Any]], weights: dict[str, float]) -> str:
    states = [t.state.name for t in result.trials()]
    lines = [f"# Study {result.study.study_name}", "",
             f"{states.count('COMPLETE')} complete, {states.count('PRUNED')} pruned, "
             f"{states.count('FAIL')} failed trials; metric {result.metric} "
             f"({result.study.direction.name.lower()}d) on the dev set.", "",
             "## Best trials", ""]
    if rows:
        header = list(rows[0])
        lines += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        lines += ["| " + " | ".join(_fmt(r.get(h, "")) for h in header) + " |" for r in rows]
    lines += ["", "## Regions (coarse to fine)", ""]
    for i, region in enumerate(result.regions or [result.space.to_dict()]):
        lines.append(f"- round {i + 1}: " + "; ".join(
            f"{name} {json.dumps(entry)}" for name, entry in region.items()))
    if weights:
        lines += ["", "## Importances (fANOVA)", ""]
        lines += [f"- {name}: {value:.3f}" for name, value in weights.items()]
    return "\n".join(lines) + "\n"


def _trials_csv(result: Any) -> str:
    buffer = io.StringIO()
    names = result.space.names
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["number", "state", "value", "round", *names])
    for t in result.trials():
        values = result.space.values(t.params)
        writer.writerow([t.number, t.state.name, "" if t.value is None else t.value,
                         t.user_attrs.get("round", ""), *(values.get(n, "") for n in names)])
    return buffer.getvalue()


def _save_plot(path: Path, draw: Any) -> Path | None:
    """Draw one Optuna matplotlib plot and write it as PNG; None when it cannot be drawn."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    import numpy as np

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Optuna marks these plots experimental
            axes = draw()
    except (ValueError, RuntimeError, IndexError):
        plt.close("all")
        return None
    figure = np.ravel(axes)[0].figure
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(figure)
    return write_atomic(path, buffer.getvalue())


def _plots(result: Any, folder: Path, weights: dict[str, float]) -> dict[str, Path]:
    from optuna.visualization import matplotlib as plots

    params = {d.name: d.param for d in result.space}
    top2 = [params[n] for n in list(weights)[:2]]
    drawings = {"history": lambda: plots.plot_optimization_history(result.study),
                "slice": lambda: plots.plot_slice(result.study)}
    if len(top2) == 2:
        drawings["contour"] = lambda: plots.plot_contour(result.study, params=top2)
    if weights:
        drawings["importances"] = lambda: plots.plot_param_importances(
            result.study, evaluator=__import__("optuna").importance.FanovaImportanceEvaluator(
                seed=0))
    files = {f"{name}_plot": _save_plot(folder / f"{name}.png", draw)
             for name, draw in drawings.items()}
    return {name: path for name, path in files.items() if path is not None}


def write_report(result: Any, folder: Path | None = None) -> dict[str, Path]:
    """Write the report files into ``folder`` (default: the study folder)."""
    folder = Path(folder or result.folder)
    weights = importances(result)
    rows = best_rows(result)
    files = {"report": _text(folder / "report.md", _markdown(result, rows, weights)),
             "trials": _text(folder / "trials.csv", _trials_csv(result)),
             "importances": _text(folder / "importances.json", json.dumps(weights, indent=2))}
    if rows:
        best = result.best_config.model_copy(update={"name": f"{result.study.study_name}-best"})
        files["best_config"] = _text(folder / "best_config.toml", best.to_toml())
    files.update(_plots(result, folder, weights))
    return files


def load_result(study: str, storage: str | None = None, out: str | Path | None = None) -> Any:
    """The :class:`~mlplab.tune.search.SearchResult` of a stored study.

    ``study`` is a study folder holding ``study.db`` or a study name (looked up in
    ``storage``, default the SQLite file of ``OUT/STUDY``).
    """
    import optuna

    from mlplab.runs.config import make_config
    from mlplab.tune.search import SETTINGS_KEY, SearchResult
    from mlplab.tune.space import parse_space
    from mlplab.tune.storage import open_storage, storage_url, study_folder

    path = Path(study)
    if storage is None and (path / "study.db").is_file():
        folder = path
    elif storage is None and len(path.parts) > 1:
        raise FileNotFoundError(f"tune report: no study at {path} (no study.db there); pass "
                                "a study folder such as runs/studies/NAME")
    else:
        folder = study_folder(study, out)
        if storage is None and not (folder / "study.db").is_file():
            raise FileNotFoundError(f"tune report: no study at {path} or {folder}; pass a "
                                    "study folder (it holds study.db) or --storage URL")
    url = storage_url(folder, storage) if storage else \
        f"sqlite:///{(folder / 'study.db').resolve()}"
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        loaded = optuna.load_study(study_name=folder.name, storage=open_storage(url))
    except KeyError:
        raise LookupError(f"tune report: the storage holds no study {folder.name!r}; check "
                          "the name (mlplab tune --study NAME)") from None
    settings = loaded.user_attrs.get(SETTINGS_KEY)
    if settings is None:
        raise LookupError(f"tune report: study {folder.name!r} was not made by mlplab tune")
    return SearchResult(loaded, folder, make_config(settings["base"]),
                        parse_space(settings["space"]), settings["metric"],
                        loaded.user_attrs.get("regions", []))
