"""Many workers on one study: processes share a SQLite file, never share a trial number,
and a worker killed with SIGKILL costs one failed trial, not the study."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from mlplab.tune import config_for, search

from .conftest import BASE, SPACE


def test_two_worker_processes_finish_n_trials_in_total(tmp_path, base, space):
    result = search(base, space, n_trials=6, workers=2, out=tmp_path, study="two",
                    pruner="none", report=False)
    trials = result.trials()
    complete = result.trials("COMPLETE")
    assert len(complete) == 6
    assert all(t.state.name == "COMPLETE" or t.user_attrs.get("surplus") for t in trials)
    numbers = [t.number for t in trials]
    assert len(set(numbers)) == len(numbers) == len(trials)
    workers = {t.user_attrs["worker"] for t in complete}
    assert len(workers) == 2 and str(os.getpid()) not in " ".join(workers)  # 2 processes
    for t in complete:  # the stored parameters alone rebuild each trial's config
        assert config_for(base, space, t.params).to_dict() == t.user_attrs["config"]
    more = search(base, space, n_trials=7, out=tmp_path, study="two", pruner="none",
                  report=False)  # the same study, one more trial: it continues
    assert len(more.trials("COMPLETE")) == 7 and len(more.trials()) == len(trials) + 1


def _running(db) -> list[int]:
    """Numbers of the RUNNING trials that have a heartbeat (their training has begun), read
    with sqlite3 (read-only: Optuna would create its tables while the worker is creating
    them)."""
    import sqlite3

    if not db.is_file():
        return []
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            rows = connection.execute(
                "SELECT number FROM trials JOIN trial_heartbeats USING (trial_id) "
                "WHERE state = 'RUNNING'")
            return [number for (number,) in rows]
    except sqlite3.OperationalError:  # the tables are not there yet
        return []


def test_a_worker_killed_mid_trial_fails_that_trial_and_the_study_goes_on(tmp_path):
    slow = {**BASE, "epochs": 40}
    call = (f"search({slow!r}, {SPACE!r}, n_trials=3, out={str(tmp_path)!r}, study='killed', "
            "pruner='none', heartbeat_s=1, grace_s=2, report=False)")
    worker = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        from mlplab.tune import search
        {call}""")])
    db = tmp_path / "killed" / "study.db"
    deadline = time.monotonic() + 120
    while not _running(db) and worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert worker.poll() is None, "the worker ended before its first trial ran"
    killed = _running(db)[0]
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    from mlplab.runs import make_config
    result = search(make_config(slow), SPACE, n_trials=3, out=tmp_path, study="killed",
                    pruner="none", heartbeat_s=1, grace_s=2, report=False)
    states = {t.number: t.state.name for t in result.trials()}
    assert states[killed] == "FAIL"
    assert list(states.values()).count("COMPLETE") == 3
    assert "RUNNING" not in states.values()


@pytest.mark.filterwarnings("ignore:Heartbeat of storage")  # ask() is used on purpose
def test_a_trial_whose_worker_died_before_its_first_heartbeat_is_failed_too(tmp_path):
    """Optuna's stale-trial check skips a RUNNING trial that never got a heartbeat (its
    worker was killed between creating and starting it); left alone, it would hold the
    study's last place forever."""
    import optuna

    from mlplab.tune.storage import fail_dead_trials, open_storage

    storage = open_storage(f"sqlite:///{tmp_path / 'study.db'}", heartbeat_s=1, grace_s=2)
    study = optuna.create_study(study_name="orphan", storage=storage)
    orphan = study.ask()  # RUNNING, no heartbeat, no worker: what a killed worker leaves
    started = study.ask()
    started.set_user_attr("worker", "elsewhere:1")  # a live worker's trial
    fail_dead_trials(study, grace_s=2)
    assert study.trials[orphan.number].state.name == "RUNNING"  # too young to judge
    time.sleep(2.5)
    fail_dead_trials(study, grace_s=2)
    assert study.trials[orphan.number].state.name == "FAIL"
    assert study.trials[started.number].state.name == "RUNNING"
