"""A real PostgreSQL server holds one study that two worker processes share.

The server comes from the environment: ``MLPLAB_TEST_POSTGRES_URL`` (``.ci/run`` starts
PostgreSQL and sets it to a throwaway database). Without it, or without a reachable
server, the test is skipped locally; with ``CI`` set it fails instead, so CI never
passes without having run it.
"""

from __future__ import annotations

import os
import uuid

import pytest

from mlplab.tune import config_for, search

URL_VARIABLE = "MLPLAB_TEST_POSTGRES_URL"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}; .ci/run starts PostgreSQL and sets "
                    f"{URL_VARIABLE}")
    pytest.skip(reason)


@pytest.fixture
def postgres_url() -> str:
    url = os.environ.get(URL_VARIABLE)
    if not url:
        _unavailable(f"{URL_VARIABLE} is not set (e.g. postgresql://user:pw@127.0.0.1:5432/db)")
    try:
        import psycopg2

        psycopg2.connect(url, connect_timeout=5).close()
    except Exception as err:  # any failure to connect means: no server to test against
        _unavailable(f"PostgreSQL at {url.split('@')[-1]} is unreachable "
                     f"({str(err).strip().splitlines()[0]})")
    return url


def test_two_workers_share_a_postgresql_study(tmp_path, base, space, postgres_url):
    import optuna

    from mlplab.tune.storage import open_storage

    name = f"mlplab-test-{uuid.uuid4().hex[:12]}"  # a study of its own, deleted at the end
    try:
        result = search(base, space, n_trials=4, workers=2, storage=postgres_url, study=name,
                        out=tmp_path, pruner="none")
        complete = result.trials("COMPLETE")
        assert len(complete) == 4
        numbers = [t.number for t in result.trials()]
        assert len(set(numbers)) == len(numbers)
        assert len({t.user_attrs["worker"] for t in complete}) == 2
        for t in complete:
            assert config_for(base, space, t.params).to_dict() == t.user_attrs["config"]
        assert (tmp_path / name / "best_config.toml").is_file()
        assert not (tmp_path / name / "study.db").exists()  # the study is in PostgreSQL
    finally:
        try:
            optuna.delete_study(study_name=name, storage=open_storage(postgres_url))
        except KeyError:
            pass
