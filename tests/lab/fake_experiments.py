"""Two tiny experiments put into the catalog by monkeypatching, to test the machinery
(runner, report, CLI) without training anything."""

from __future__ import annotations

import numpy as np

from mlplab.checks import POSITIVE_INT
from mlplab.lab.catalog import Experiment
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.findings import Findings
from mlplab.lab.verdicts import at_least

HALVES = Claim(
    name="coin-halves", number=1, group="neurons", claim="A fair coin lands heads half "
    "the time.", term="硬币", concept="Neuron and perceptron",
    expected="heads fraction within 0.1 of 0.5 over `flips` flips", formula="p = 1/2",
    options={"flips": POSITIVE_INT}, paper="Coin (1900)")

NEVER = Claim(name="never-holds", number=3, group="losses", claim="Two is less than one.",
              term="", concept="Output units and losses", expected="2 < 1",
              known_disagreement="it is false, on purpose")


def run_halves(lab) -> Outcome:
    flips = lab.option("flips", 400)
    heads = float(np.mean(lab.rng(1).random(flips) < 0.5))
    if lab.drawing:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(2, 2))
        ax.bar(["heads", "tails"], [heads, 1 - heads])
        ax.set_title("coin <b>")
        lab.save(fig, "coin")
    verdict = "pass" if abs(heads - 0.5) <= 0.1 else "fail"
    return Outcome(verdict, f"heads {heads:.3f} <script>", {"heads": heads, "flips": flips,
                                                             "nan": float("nan")},
                   table=Findings("flips", ("side", "fraction"), (("heads", f"{heads:.2f}"),)),
                   config={"flips": flips}, paper={"heads": {"paper": 0.5, "ours": heads}})


def run_never(lab) -> Outcome:
    return Outcome(at_least(1.0, 2.0), "1 < 2", {"two": np.float64(2.0)})


def run_broken(lab) -> Outcome:
    raise ZeroDivisionError("division by zero in the experiment")


BROKEN = Experiment(Claim(name="broken", number=2, group="neurons", claim="Crashes.", term="",
                          concept="Neuron and perceptron", expected="-"), run_broken, "fake.b")

FAKES = {"coin-halves": Experiment(HALVES, run_halves, "fake.halves"),
         "never-holds": Experiment(NEVER, run_never, "fake.never")}
