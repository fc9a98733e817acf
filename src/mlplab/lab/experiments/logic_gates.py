"""Claim 1: logic gates from neurons, the perceptron rule, XOR, and n-bit parity.

- A sigmoid neuron a = σ(20x₁ + 20x₂ + b) is OR with b = −10 and AND with b = −30:
  |z| = 10 on every row, and σ(±10) is within 4.6e-5 of 1 or 0.
- The perceptron rule w := w + η(y − ŷ)x converges on AND and OR (linearly separable)
  and never on XOR (no line separates it).
- One hidden layer solves XOR.
- n-bit parity: a tree of XOR sub-networks has 3(n − 1) sigmoid units in 2log₂n layers;
  one hidden layer of AND units (one per odd-weight input, then an OR) needs
  2^(n−1) + 1. Both are built with the ±20 weights above and checked on all 2ⁿ inputs.
"""

from __future__ import annotations

import itertools

import numpy as np

from mlplab import nn, optim
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.experiments._parity_nets import dnf_parity, tree_parity, unit_count
from mlplab.lab.verdicts import all_hold, at_most, in_k_of_n
from mlplab.train import Trainer

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
GATES = {"AND": np.array([0, 0, 0, 1]), "OR": np.array([0, 1, 1, 1]),
         "XOR": np.array([0, 1, 1, 0])}

CLAIM = Claim(
    name="logic-gates", number=1, group="neurons",
    claim="One sigmoid neuron computes OR and AND; the perceptron rule converges on AND/OR "
          "but never on XOR; one hidden layer solves XOR; n-bit parity needs few units "
          "when deep and exponentially many in one hidden layer.",
    term="感知机 / 异或问题 / 为什么使用深层表示",
    concept="Neuron and perceptron",
    expected="OR/AND neurons within 1e-4 of the truth table; the perceptron rule (eta = 1) "
             "converges on AND and OR within 50 epochs and still makes mistakes on XOR in "
             "every one of 200 epochs; a 2-4-1 tanh net fits XOR exactly in >= 4 of 5 seeds; "
             "the deep and the one-hidden-layer parity nets both compute n-bit parity on all "
             "2^n inputs for n = 2, 4, 8, with 3(n-1) vs 2^(n-1)+1 units (both modes).",
    formula="OR = σ(20x1 + 20x2 − 10), AND = σ(20x1 + 20x2 − 30); "
            "w := w + η(y − ŷ)x; parity units: 3(n−1) deep vs 2^(n−1)+1 shallow",
    quick_s=3.0, full_s=3.0)


def _neuron(w: tuple[float, float], b: float) -> np.ndarray:
    layer = nn.Linear(2, 1, dtype="float64")
    layer.weight.data[...] = [w]
    layer.bias.data[...] = b
    return nn.Sequential(layer, nn.Sigmoid())(X).data.ravel()


def _perceptron_errors(y: np.ndarray, epochs: int, seed: int) -> tuple[bool, list[int]]:
    p = nn.Perceptron(lr=1.0, max_epochs=epochs, shuffle=True, seed=seed).fit(X, y)
    return bool(p.converged_), [int(e) for e in p.errors_]


def _xor_net(seed: int) -> float:
    model = nn.Sequential(nn.Linear(2, 4, seed=seed), nn.Tanh(),
                          nn.Linear(4, 1, seed=seed + 1)).double()
    trainer = Trainer(model, "bce_with_logits", optim.Adam(model.parameters(), lr=0.05),
                      verbose=0)
    trainer.fit(X, GATES["XOR"].astype(float), epochs=300, batch_size=None)
    return float(np.mean((model(X).data.ravel() > 0) == GATES["XOR"]))


def _parity_check(n: int) -> dict[str, object]:
    inputs = np.array(list(itertools.product([0.0, 1.0], repeat=n)))
    parity = inputs.sum(axis=1) % 2
    nets = {"deep": tree_parity(n), "one hidden layer": dnf_parity(n)}
    errors = {k: float(np.abs(net(inputs).data.ravel() - parity).max())
              for k, net in nets.items()}
    return {"n": n, "max_error": errors, "units": {k: unit_count(net)
                                                  for k, net in nets.items()}}


def run(lab: Context) -> Outcome:
    gates = {"OR": float(np.abs(_neuron((20, 20), -10) - GATES["OR"]).max()),
             "AND": float(np.abs(_neuron((20, 20), -30) - GATES["AND"]).max())}
    seed = int(lab.rng(0).integers(1 << 30))
    perceptron = {name: _perceptron_errors(GATES[name], 50 if name != "XOR" else 200, seed)
                  for name in GATES}
    xor_accuracy = [_xor_net(seed + 10 * k) for k in range(5)]
    parity = [_parity_check(n) for n in (2, 4, 8)]
    largest = parity[-1]
    verdict = all_hold([
        at_most(max(gates.values()), 1e-4),
        "pass" if perceptron["AND"][0] and perceptron["OR"][0] else "fail",
        "pass" if min(perceptron["XOR"][1]) > 0 else "fail",
        in_k_of_n([a == 1.0 for a in xor_accuracy], 4),
        at_most(max(largest["max_error"].values()), 1e-3)])
    if lab.drawing:
        _draw(lab, perceptron, parity)
    units = largest["units"]
    return Outcome(
        verdict=verdict,
        reason=f"gate error {max(gates.values()):.1e}; perceptron epochs AND "
               f"{len(perceptron['AND'][1])}, OR {len(perceptron['OR'][1])}, XOR never "
               f"(min mistakes {min(perceptron['XOR'][1])}/epoch over 200); 2-4-1 XOR fits "
               f"{sum(a == 1.0 for a in xor_accuracy)}/5 seeds; {largest['n']}-bit parity: "
               f"{units['deep']} units deep vs {units['one hidden layer']} in one layer",
        measured={"gate_max_error": gates,
                  "perceptron_epochs": {k: len(v[1]) for k, v in perceptron.items()},
                  "perceptron_converged": {k: v[0] for k, v in perceptron.items()},
                  "xor_min_mistakes_per_epoch": min(perceptron["XOR"][1]),
                  "xor_net_accuracy": xor_accuracy, "parity": parity},
        config={"perceptron": "eta=1, shuffled, weights start at 0",
                "xor_net": "2-4-1 tanh, Adam lr=0.05, 300 full-batch epochs, 5 seeds"})


def _draw(lab: Context, perceptron: dict, parity: list[dict]) -> None:
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    for name, (_, errors) in perceptron.items():
        left.plot(range(1, len(errors) + 1), errors, marker=".", label=name)
    left.set(xlabel="epoch", ylabel="mistakes in the epoch", xscale="log",
             title="perceptron rule: AND/OR converge, XOR never")
    left.legend()
    ns = [p["n"] for p in parity]
    for key in ("deep", "one hidden layer"):
        right.plot(ns, [p["units"][key] for p in parity], marker="o", label=key)
    right.set(xlabel="n (bits)", ylabel="sigmoid units", yscale="log",
              title="n-bit parity: units needed")
    right.legend()
    fig.tight_layout()
    lab.save(fig, "perceptron_and_parity")
