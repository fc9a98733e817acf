"""The lab's catalog and runner: discovery, option checks, result.json, run_many."""

from __future__ import annotations

import json

import pytest

import mlplab.lab as lab
from mlplab.lab import catalog
from tests.lab.fake_experiments import FAKES


@pytest.fixture
def fakes(monkeypatch):
    monkeypatch.setattr(catalog, "all_experiments", lambda: dict(FAKES))
    return FAKES


def test_discovery_finds_modules_with_claim_and_run_in_catalog_order():
    found = catalog.all_experiments()
    assert found, "no experiment discovered"
    keys = [(e.claim.number, name) for name, e in found.items()]
    assert keys == sorted(keys)
    for name, experiment in found.items():
        assert experiment.claim.name == name and callable(experiment.run)
        assert experiment.module.startswith("mlplab.lab.experiments.")
        assert experiment.claim.group in catalog.GROUPS


def test_run_writes_result_json_with_every_key(fakes, tmp_path):
    result = lab.run("coin-halves", seed=3, out=tmp_path, flips=100)
    saved = json.loads((tmp_path / "coin-halves" / "result.json").read_text(encoding="utf-8"))
    for key in ("claim", "expected", "measured", "verdict", "reason", "seed", "config",
                "duration_s", "version", "quick", "figures", "paper", "term", "concept",
                "formula", "command"):
        assert key in saved, key
    assert saved["seed"] == 3 and saved["quick"] is True and saved["term"] == "硬币"
    assert saved["measured"]["nan"] == "nan"  # JSON has no NaN: written as a string
    assert saved["command"] == "mlplab lab run coin-halves --seed 3 --option flips=100"
    assert saved["figures"] == ["coin.png", "coin.svg"]
    assert all((tmp_path / "coin-halves" / f).stat().st_size > 0 for f in saved["figures"])
    again = lab.Result.from_json(json.dumps(saved))
    assert again.findings.rows == result.findings.rows and again.verdict == result.verdict


def test_the_seed_decides_the_numbers(fakes):
    first, same = (lab.run("coin-halves", seed=1).measured["heads"] for _ in range(2))
    other = lab.run("coin-halves", seed=2).measured["heads"]
    assert first == same != other


def test_without_out_nothing_is_written(fakes, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert lab.run("coin-halves", quick=False).figures == []
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name,options,message", [
    ("coin-halvs", {}, "lab: unknown experiment 'coin-halvs'; did you mean 'coin-halves'?"),
    ("coin-halves", {"flip": 3}, "lab coin-halves: unknown option 'flip'; did you mean "
                                 "'flips'?"),
    ("coin-halves", {"flips": 0}, "lab coin-halves: flips must be an integer >= 1, got 0"),
    ("coin-halves", {"seed": -1}, "lab coin-halves: seed must be an integer >= 0"),
])
def test_bad_names_and_options_are_one_clear_line(fakes, name, options, message):
    with pytest.raises(ValueError, match=message) as err:
        lab.run(name, **options)
    assert "\n" not in str(err.value)


def test_run_many_shares_options_and_renders_the_report(fakes, tmp_path):
    seen = []
    results = lab.run_many("all", out=tmp_path, on_result=lambda r: seen.append(r.name),
                           flips=50)
    assert seen == ["coin-halves", "never-holds"] == [r.name for r in results]
    assert results[0].measured["flips"] == 50
    assert (tmp_path / "index.html").is_file()
    with pytest.raises(ValueError, match="unknown option 'flipz'; did you mean 'flips'"):
        lab.run_many(["never-holds", "coin-halves"], flipz=1)
    with pytest.raises(ValueError, match="lab never-holds: takes no options"):
        lab.run_many(["never-holds"], flips=1)


def test_a_later_run_keeps_earlier_results_in_the_report(fakes, tmp_path):
    lab.run_many(["never-holds"], out=tmp_path)
    lab.run_many(["coin-halves"], out=tmp_path)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'id="never-holds"' in html and 'id="coin-halves"' in html
    assert html.index('id="coin-halves"') < html.index('id="never-holds"')  # catalog order


def test_a_broken_claim_is_refused_with_its_module(monkeypatch):
    import types

    from mlplab.lab.claim import Claim

    module = types.ModuleType("fake_bad")
    module.CLAIM = Claim("Bad Name", 1, "c", "", "x", "neurons", "e")
    module.run = lambda lab: None
    monkeypatch.setattr(catalog.importlib, "import_module", lambda name: module)
    with pytest.raises(ValueError, match="fake_bad.CLAIM: name must be kebab-case"):
        catalog._declared("fake_bad")


def test_a_crashing_experiment_does_not_cost_the_others(monkeypatch, tmp_path):
    from tests.lab.fake_experiments import BROKEN

    monkeypatch.setattr(catalog, "all_experiments", lambda: {**FAKES, "broken": BROKEN})
    with pytest.raises(RuntimeError, match=r"lab: 1 of 3 experiments raised an error .*"
                                           r"broken \(ZeroDivisionError: division by zero"):
        lab.run_many("all", out=tmp_path)
    assert {r.name for r in lab.load_results(tmp_path)} == {"coin-halves", "never-holds"}
    assert (tmp_path / "index.html").is_file()
    with pytest.raises(ZeroDivisionError):  # alone, the error is the error
        lab.run_many(["broken"])
