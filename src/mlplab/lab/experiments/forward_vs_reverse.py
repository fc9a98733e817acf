"""Claim 19: for f: ℝⁿ → ℝ, reverse mode gives the gradient in one sweep, forward mode in n.

Forward mode pushes one tangent u through the graph and returns J u, one directional
derivative; the full gradient needs u = e₁, …, eₙ: n sweeps (``ml.jvp``). Reverse mode
pulls the cotangent 1 back and returns 1ᵀJ = ∇f, all of it at once (``ml.vjp``): one sweep.
The function is a small tanh MLP of its input x; sweeps are counted as calls of f,
and each way is timed (best of several interleaved repeats) as n grows.
"""

from __future__ import annotations

import time

import numpy as np

import mlplab as ml
from mlplab import nn
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.verdicts import all_hold, at_least, at_most

CLAIM = Claim(
    name="forward-vs-reverse", number=19, group="gradients",
    claim="For f: R^n -> R, reverse mode (backpropagation) gets the whole gradient in one "
          "sweep, forward mode needs n sweeps: its cost grows with n.",
    term="前向模式 / 反向模式自动微分",
    concept="Backpropagation and automatic differentiation",
    expected="for n in 2..128 (quick; up to 1024 full) both ways give the same gradient "
             "(relative difference <= 1e-12); forward mode calls f n times, reverse once; at "
             "the largest n forward mode takes >= n/8 times as long as reverse mode (fail "
             "below 2x), best of 5 interleaved timings.",
    formula="∇f = [J e1, …, J en] (n JVPs) = 1ᵀJ (one VJP)",
    quick_s=3.0, full_s=30.0)


class Counted:
    """``f`` that counts its calls: one call is one sweep through the graph."""

    def __init__(self, f) -> None:
        self.f, self.calls = f, 0

    def __call__(self, x):
        self.calls += 1
        return self.f(x)


def forward_gradient(f, x: np.ndarray) -> np.ndarray:
    """∇f(x) by forward mode: one JVP per basis vector eᵢ."""
    eye = np.eye(x.size)
    return np.array([float(ml.jvp(f, ml.tensor(x), ml.tensor(eye[i]))[1].data)
                     for i in range(x.size)])


def reverse_gradient(f, x: np.ndarray) -> np.ndarray:
    """∇f(x) by reverse mode: one VJP with cotangent 1."""
    return ml.vjp(f, ml.tensor(x), np.array(1.0))[1].data.copy()


def _measure(n: int, seed: int, repeats: int) -> dict[str, float]:
    net = nn.Sequential(nn.Linear(n, 32, seed=seed), nn.Tanh(), nn.Linear(32, 1, seed=seed + 1))
    net = net.double()
    f = lambda x: net(x.reshape(1, -1)).sum()  # noqa: E731
    x = np.random.default_rng(seed).standard_normal(n)
    counted = {"forward": Counted(f), "reverse": Counted(f)}
    grads = {"forward": forward_gradient(counted["forward"], x),
             "reverse": reverse_gradient(counted["reverse"], x)}
    best = {"forward": np.inf, "reverse": np.inf}
    for _ in range(repeats):  # interleaved, so a busy machine slows both alike
        for mode, way in (("forward", forward_gradient), ("reverse", reverse_gradient)):
            start = time.perf_counter()
            way(f, x)
            best[mode] = min(best[mode], time.perf_counter() - start)
    difference = np.linalg.norm(grads["forward"] - grads["reverse"]) / np.linalg.norm(
        grads["reverse"])
    return {"n": n, "forward_calls": counted["forward"].calls,
            "reverse_calls": counted["reverse"].calls, "forward_s": best["forward"],
            "reverse_s": best["reverse"], "relative_difference": float(difference)}


def run(lab: Context) -> Outcome:
    sizes = [2, 8, 32, 128] if lab.quick else [2, 8, 32, 128, 512, 1024]
    seed = int(lab.rng(0).integers(1 << 30))
    rows = [_measure(n, seed, 5) for n in sizes]
    last = rows[-1]
    ratio = last["forward_s"] / last["reverse_s"]
    sweeps_ok = all(r["forward_calls"] == r["n"] and r["reverse_calls"] == 1 for r in rows)
    ratio_verdict = at_least(ratio, last["n"] / 8)
    if ratio_verdict == "fail" and ratio >= 2:
        ratio_verdict = "inconclusive"  # slower, but by less than stated: the timing can't tell
    verdict = all_hold([at_most(max(r["relative_difference"] for r in rows), 1e-12),
                        "pass" if sweeps_ok else "fail", ratio_verdict])
    if lab.drawing:
        _draw(lab, rows)
    return Outcome(
        verdict=verdict,
        reason=f"same gradient (max relative difference "
               f"{max(r['relative_difference'] for r in rows):.0e}); sweeps n vs 1; at n = "
               f"{last['n']} forward mode took {last['forward_s'] * 1e3:.1f} ms vs reverse "
               f"{last['reverse_s'] * 1e3:.2f} ms ({ratio:.0f}x)",
        measured={"rows": [{k: (round(v, 6) if isinstance(v, float) else v)
                            for k, v in r.items()} for r in rows],
                  "ratio_at_largest_n": ratio},
        config={"f": "n-32-1 tanh MLP of its input, float64", "timing": "best of 5, interleaved"})


def _draw(lab: Context, rows: list[dict]) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ns = [r["n"] for r in rows]
    ax.plot(ns, [r["forward_s"] * 1e3 for r in rows], marker="o",
            label="forward mode: n JVPs (ml.jvp)")
    ax.plot(ns, [r["reverse_s"] * 1e3 for r in rows], marker="s",
            label="reverse mode: 1 VJP (ml.vjp)")
    ax.set(xscale="log", yscale="log", xlabel="n (inputs of f)", ylabel="time for ∇f (ms)",
           title="gradient of f: Rⁿ → R")
    ax.legend()
    lab.save(fig, "forward_vs_reverse")
