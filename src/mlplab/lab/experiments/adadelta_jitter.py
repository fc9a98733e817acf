"""Claim 9 (AdaDelta): late in training AdaDelta jitters around the minimum; Adam settles.

AdaDelta scales each coordinate's gradient by η = √(D + ε) / √(S + ε), where S averages
the squared gradients and D the squared steps the rule itself took. On the bowl
f = ½(x² + 50 y²), descent along y with step η is stable only while 50 η < 2. Suppose
y hops across the valley floor, y_t = ±a: each step is 2a long and each gradient 50a,
so D / S → (2a)² / (50a)² and η → 2/50, exactly the edge of stability. The zig-zag
feeds itself at any amplitude a, and ε (larger, relatively, in the numerator's tiny D)
tips η a hair above the edge, so the amplitude even grows slowly. Adam's step
α m̂ / (√v̂ + ε) uses the *mean* gradient m̂, which a zig-zag averages to about zero,
so its steps shrink and it settles.

The run writes the bowl's exact gradient into ``θ.grad`` and calls the library's
``step()`` for both rules, from starts drawn on the level set f = 50.
"""

from __future__ import annotations

import numpy as np

from mlplab import optim
from mlplab.checks import Interval
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.findings import Findings
from mlplab.lab.verdicts import all_hold, in_k_of_n
from mlplab.nn import Parameter

CLAIM = Claim(
    name="adadelta-jitter", number=9, group="optimization",
    claim="Late in training AdaDelta keeps jittering around the minimum instead of settling "
          "into it, while Adam settles.",
    term="AdaDelta 算法: 训练后期在局部最小值附近抖动 (jitter around the minimum late in "
         "training)",
    concept="Gradient descent and its variants",
    expected="On the bowl ½(x² + 50y²), 5 seeded starts with f = 50, 4000 steps with the "
             "exact gradient (late phase = the last 2000): AdaDelta (lr 1, ρ 0.9, ε 1e-6) "
             "reverses the sign of its y-step in >= 90 % of late steps and its lowest late "
             "loss stays >= 1e-3, in >= 4 of 5 starts; Adam (lr 0.01) ends at loss <= 1e-6 "
             "in >= 4 of 5 starts. --full: 20 starts, 10000 steps, >= 16 of 20.",
    formula="AdaDelta: S := ρS + (1−ρ)g²,  Δθ := √(D+ε)/√(S+ε)·g,  D := ρD + (1−ρ)Δθ²,  "
            "θ := θ − Δθ;  a zig-zag y = ±a gives √(D/S) = 2a/50a = 2/λ_y, the stability edge",
    quick_s=6.0, full_s=36.0,
    options={"rho": Interval(0.0, 1.0, "neither", example="0.95")})

CURVATURE = np.array([1.0, 50.0])
"""The bowl's Hessian diagonal: f(θ) = ½ Σ CURVATURE θ²."""

JITTER_FLIPS = 0.9
"""Share of late y-steps that must reverse direction to call the motion a jitter."""

STALLED_LOSS, SETTLED_LOSS = 1e-3, 1e-6


def bowl(theta: np.ndarray) -> np.ndarray:
    """f = ½(x² + 50y²) for one point (2,) or a path (T, 2)."""
    return 0.5 * (np.asarray(theta) ** 2 * CURVATURE).sum(axis=-1)


def descend(name: str, start: np.ndarray, steps: int, **kwargs: float) -> np.ndarray:
    """The path (steps + 1, 2) of ``ml.optim`` optimizer ``name`` on the bowl."""
    theta = Parameter(np.array(start, dtype=np.float64))
    optimizer = optim.get_optimizer(name, [theta], **kwargs)
    path = [theta.data.copy()]
    for _ in range(steps):
        theta.grad = CURVATURE * theta.data  # ∇f, exact
        optimizer.step()
        path.append(theta.data.copy())
    return np.array(path)


def late_phase(path: np.ndarray) -> dict[str, float]:
    """Over the second half of ``path``: how often the y-step reverses, the lowest loss,
    the final loss, and the median step length over the distance to the minimum (2: each
    step jumps across the minimum to the mirror point; near 0: it closes in)."""
    late = path[(len(path) - 1) // 2:]
    dy = np.diff(late[:, 1])
    steps = np.linalg.norm(np.diff(late, axis=0), axis=1)
    distance = np.linalg.norm(late[:-1], axis=1)
    moving = distance > 0  # an exact landing on the minimum has no ratio
    return {"y_step_reversals": float((np.sign(dy[1:]) != np.sign(dy[:-1])).mean()),
            "lowest_loss": float(bowl(late).min()), "final_loss": float(bowl(late[-1])),
            "step_over_distance": float(np.median(steps[moving] / distance[moving]))
            if moving.any() else 0.0}


def starts(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` points with f = 50 (x = 10 cos φ, y = (10/√50) sin φ, φ uniform)."""
    phi = rng.uniform(0, 2 * np.pi, size=n)
    return np.stack([10 * np.cos(phi), 10 / np.sqrt(50) * np.sin(phi)], axis=1)


def run(lab: Context) -> Outcome:
    n, steps, k = (5, 4000, 4) if lab.quick else (20, 10000, 16)
    rho = float(lab.option("rho", 0.9))
    points = starts(lab.rng(0), n)
    adadelta = [late_phase(descend("adadelta", p, steps, lr=1.0, rho=rho, eps=1e-6))
                for p in points]
    adam = [late_phase(descend("adam", p, steps, lr=0.01)) for p in points]
    jitters = [a["y_step_reversals"] >= JITTER_FLIPS and a["lowest_loss"] >= STALLED_LOSS
               for a in adadelta]
    settles = [a["final_loss"] <= SETTLED_LOSS for a in adam]
    verdict = all_hold([in_k_of_n(jitters, k), in_k_of_n(settles, k)])
    if lab.drawing:
        _draw(lab, points[0], steps, rho)
    median = {label: {key: float(np.median([r[key] for r in runs])) for key in runs[0]}
              for label, runs in (("AdaDelta", adadelta), ("Adam", adam))}
    return Outcome(
        verdict=verdict,
        reason=f"AdaDelta jitters in {sum(jitters)} of {n} starts (median late y-step "
               f"reversals {median['AdaDelta']['y_step_reversals']:.2f}, lowest late loss "
               f"{median['AdaDelta']['lowest_loss']:.1e}, step/distance "
               f"{median['AdaDelta']['step_over_distance']:.2f}); Adam settles in "
               f"{sum(settles)} of {n} (median final loss {median['Adam']['final_loss']:.1e})",
        measured={"adadelta_jitters": sum(jitters), "adam_settles": sum(settles), "starts": n,
                  "median_late_phase": median},
        table=Findings("late phase (second half of the run), median over starts",
                       ("optimizer", "y-step reversals", "lowest loss", "final loss",
                        "step / distance"),
                       tuple((label, f"{m['y_step_reversals']:.2f}", f"{m['lowest_loss']:.1e}",
                              f"{m['final_loss']:.1e}", f"{m['step_over_distance']:.2f}")
                             for label, m in median.items())),
        config={"surface": "½(x² + 50y²)", "steps": steps, "starts": n,
                "adadelta": f"lr 1.0, rho {rho}, eps 1e-6", "adam": "lr 0.01"})


def _draw(lab: Context, start: np.ndarray, steps: int, rho: float) -> None:
    import matplotlib.pyplot as plt

    paths = {"AdaDelta": descend("adadelta", start, steps, lr=1.0, rho=rho, eps=1e-6),
             "Adam (α = 0.01)": descend("adam", start, steps, lr=0.01)}
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
    tail = np.arange(steps - 40, steps + 1)
    for (label, path), color in zip(paths.items(), ("tab:purple", "tab:red"), strict=True):
        # the loss reaches 0 exactly for Adam; keep the log axis finite
        left.semilogy(np.maximum(bowl(path), 1e-30), color=color, label=label)
        right.plot(tail, path[tail, 1], ".-", ms=3, color=color, label=label)
    left.set(xlabel="step", ylabel="f(θ) (floored at 1e-30)",
             title="Loss on ½(x² + 50y²): AdaDelta stalls, Adam keeps going")
    right.set(xlabel="step", ylabel="y",
              title=f"The last 40 steps: AdaDelta hops across the valley (ρ = {rho})")
    right.axhline(0, color="0.6", lw=0.8)
    left.legend(fontsize=8)
    right.legend(fontsize=8)
    fig.tight_layout()
    lab.save(fig, "adadelta_jitter")
