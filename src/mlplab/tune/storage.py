"""Where a study lives: a SQLite file in the study folder, or a PostgreSQL database.

- Default: ``sqlite:///STUDY_DIR/study.db`` — embedded, nothing to install; the worker
  processes of one machine share it.
- ``postgresql://user:password@host:5432/db`` — any number of machines join the same
  study (same ``--storage``, same ``--study``); the driver is ``psycopg2``.

Both are Optuna ``RDBStorage`` with a **heartbeat**: a running trial's worker stamps
it every ``heartbeat_s`` seconds; a trial whose stamp is older than ``grace_s`` (its
worker was killed) is marked FAIL by the next worker that starts a trial, so the
study goes on. The study's settings (base config, space, metric) are stored with it,
so re-running the same command — or ``mlplab tune report`` — continues or reads it.
"""

from __future__ import annotations

import re
import time
import warnings
from pathlib import Path
from typing import Any

from mlplab.checks import ParameterError

__all__ = ["HEARTBEAT_S", "GRACE_S", "DEFAULT_ROOT", "fail_dead_trials", "open_storage",
           "storage_url", "study_folder"]

HEARTBEAT_S = 10
GRACE_S = 30
DEFAULT_ROOT = Path("runs") / "studies"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def study_folder(study: str, out: str | Path | None = None) -> Path:
    """The study's folder: ``OUT/STUDY`` (default ``runs/studies/STUDY``)."""
    if not _NAME.match(study or ""):
        raise ParameterError(f"tune: study must be a plain name of letters, digits, '-', '_' "
                             f"or '.', got {study!r}; e.g. study='adult-lr'")
    return Path(DEFAULT_ROOT if out is None else out) / study


def storage_url(folder: Path, url: str | None = None) -> str:
    """``url`` checked, or the default SQLite file in ``folder``."""
    if url is None:
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(folder / 'study.db').resolve()}"
    if not url.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg2://")):
        raise ParameterError(f"tune: storage must be a sqlite:///PATH or postgresql://USER:"
                             f"PASSWORD@HOST:PORT/DB URL, got {url.split('@')[-1]!r}; e.g. "
                             "--storage postgresql://me:secret@db.lan:5432/studies")
    return url


def open_storage(url: str, heartbeat_s: float = HEARTBEAT_S, grace_s: float = GRACE_S) -> Any:
    """An Optuna RDBStorage on ``url`` with the heartbeat on; unreachable → one line."""
    import optuna
    import sqlalchemy.exc
    from optuna.exceptions import ExperimentalWarning

    if url.startswith("postgresql://"):  # SQLAlchemy 2.1 would pick psycopg 3 by default
        url = "postgresql+psycopg2://" + url.removeprefix("postgresql://")
    engine: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("sqlite"):  # wait for another process's write instead of failing
        engine["connect_args"] = {"timeout": 60}
    try:
        for attempt in range(3):
            try:
                with warnings.catch_warnings():  # the heartbeat is "experimental" (Optuna 2.9)
                    warnings.simplefilter("ignore", ExperimentalWarning)
                    return optuna.storages.RDBStorage(
                        url, engine_kwargs=engine, heartbeat_interval=max(1, round(heartbeat_s)),
                        grace_period=max(2, round(grace_s)))
            except sqlalchemy.exc.OperationalError as err:
                # two workers creating a new storage's tables at once: the later one retries
                if "already exists" not in str(err) or attempt == 2:
                    raise
                time.sleep(0.5)
    except ImportError:
        raise ImportError("tune: a PostgreSQL storage needs the psycopg2 driver; pip install "
                          "'mlplab[tune]'") from None
    except sqlalchemy.exc.OperationalError as err:
        where = url.split("@")[-1]  # never print the password
        reason = str(getattr(err, "orig", err)).strip().splitlines()[0]
        raise ConnectionError(f"tune: cannot open the study storage at {where} ({reason}); "
                              "check that the server runs and the URL is right") from None


def fail_dead_trials(study: Any, grace_s: float = GRACE_S) -> None:
    """Mark FAIL the running trials whose worker died.

    Two cases: the trial's heartbeat stopped more than the grace period ago (Optuna's
    ``fail_stale_trials``), or the trial never got a heartbeat at all — its worker was
    killed between creating the trial and starting it, a window Optuna's check skips.
    The second case is recognised by the ``worker`` attribute every mlplab trial sets
    first thing (see :mod:`mlplab.tune.workers`) being absent ``grace_s`` after the
    trial's start (by this machine's clock; a clock ahead of the creator's only fails
    such a trial later).
    """
    import datetime

    import optuna
    from optuna.exceptions import ExperimentalWarning
    from optuna.trial import TrialState

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExperimentalWarning)
        optuna.storages.fail_stale_trials(study)
    cutoff = datetime.datetime.now() - datetime.timedelta(seconds=grace_s)
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        if "worker" not in trial.user_attrs and trial.datetime_start is not None \
                and trial.datetime_start < cutoff:
            try:
                study.tell(trial.number, state=TrialState.FAIL)
            except (RuntimeError, ValueError):  # another worker ended it meanwhile
                pass
