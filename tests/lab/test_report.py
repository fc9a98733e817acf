"""The lab's HTML report: every claim with badge, numbers, figures inline, nothing external."""

from __future__ import annotations

import re

import pytest

import mlplab.lab as lab
from mlplab.lab import catalog
from tests.lab.fake_experiments import FAKES


@pytest.fixture
def report(monkeypatch, tmp_path):
    monkeypatch.setattr(catalog, "all_experiments", lambda: dict(FAKES))
    lab.run_many("all", out=tmp_path)
    return (tmp_path / "index.html").read_text(encoding="utf-8")


def test_summary_badges_and_each_claim(report):
    assert re.search(r'class="badge pass">pass</span> 1<', report)
    assert re.search(r'class="badge fail">fail</span> 1<', report)
    assert re.search(r'class="badge inconclusive">inconclusive</span> 0<', report)
    for text in ("A fair coin lands heads half the time.", "硬币", "p = 1/2",
                 "Two is less than one.", "it is false, on purpose",
                 "mlplab lab run coin-halves --seed 0", "Neuron and perceptron"):
        assert text in report, text


def test_figures_are_embedded_and_nothing_is_external(report):
    assert report.count('src="data:image/png;base64,') == 1
    for link in re.findall(r'(?:src|href)="([^"]*)"', report):
        assert not link.startswith(("http", "//")), link
    without_images = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", report)
    assert "http" not in without_images  # no CDN, no font or script from the network


def test_paper_numbers_sit_beside_ours_and_text_is_escaped(report):
    assert "<th>paper</th><th>ours</th>" in report
    assert "<script>" not in report and "&lt;script&gt;" in report


def test_report_command_rerenders_from_saved_results(report, tmp_path):
    (tmp_path / "index.html").unlink()
    results = lab.load_results(tmp_path)
    assert [r.name for r in results] == ["coin-halves", "never-holds"]
    path = lab.write_report(results, tmp_path)
    assert path.read_text(encoding="utf-8") == report
