"""Claim 5: gradients vanish through sigmoid layers, explode with large weights; clipping helps.

Backpropagation multiplies the gradient by Wᵀ diag(f′(z)) once per layer. sigmoid′ ≤ 0.25,
so ten sigmoid layers shrink it by up to 0.25¹⁰ ≈ 1e-6 unless the weights compensate;
tanh′ ≤ 1 loses less, ReLU′ ∈ {0, 1} with He initialization keeps it. When the weights
are large (‖W‖ > 1 per layer), the same product grows geometrically: the gradient
explodes and one step of gradient descent throws the weights away. Clipping the global
gradient norm to c (g ← g · c / ‖g‖ when ‖g‖ > c) bounds each step.
"""

from __future__ import annotations

import numpy as np

from mlplab import nn, optim
from mlplab.autograd import tensor
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.mnist_subset import mnist_subset
from mlplab.lab.verdicts import all_hold, at_least, at_most
from mlplab.train import Trainer
from mlplab.train.divergence import DivergenceError

CLAIM = Claim(
    name="vanishing-gradients", number=5, group="gradients",
    claim="In a 10-layer net the gradient vanishes towards the input with sigmoid, much less "
          "with tanh and not with ReLU (He init); large weights make it explode, and "
          "clipping the gradient norm keeps training stable.",
    term="梯度消失与梯度爆炸 (vanishing and exploding gradients); 梯度裁剪 (gradient clipping)",
    concept="Backpropagation and automatic differentiation",
    expected="10 hidden layers of 64 units on 512 MNIST images (Xavier init for sigmoid/tanh, "
             "He for ReLU): ‖∂J/∂W‖ of layer 1 / layer 10 is <= 1e-2 for sigmoid, larger "
             "for tanh than for sigmoid, and >= 0.1 for ReLU; with ReLU and N(0, 1) "
             "weights the largest layer norm is >= 1e3 times He's (explosion); plain SGD "
             "(lr 0.01, 20 steps) on that net diverges or ends above its first loss, and "
             "the same run with clip_grad_norm=1 ends below its first loss.",
    formula="∂J/∂a^[l−1] = W^[l]ᵀ (f′(z^[l]) ⊙ ∂J/∂a^[l]);  σ′ ≤ 1/4;  g ← g · c / max(c, ‖g‖)",
    quick_s=5.0, full_s=10.0)

DEPTH, WIDTH = 10, 64


def deep_net(activation: str, init: str, seed: int) -> nn.Sequential:
    """784 → DEPTH hidden layers of WIDTH → 10, weights drawn by ``nn.init``'s ``init``."""
    rng = np.random.default_rng(seed)
    sizes = [784] + [WIDTH] * DEPTH + [10]
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:], strict=False)):
        linear = nn.Linear(n_in, n_out, seed=rng)
        if init == "unit_normal":
            nn.init.normal_(linear.weight, std=1.0, seed=rng)
        else:
            nn.get_initializer(init)(linear.weight, seed=rng)
        nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i < DEPTH:
            layers.append(nn.get_activation(activation))
    return nn.Sequential(*layers)


def layer_gradient_norms(model: nn.Sequential, X: np.ndarray, y: np.ndarray) -> list[float]:
    """‖∂J/∂W‖ (Frobenius) of each hidden Linear layer, input side first."""
    model.zero_grad()
    nn.CrossEntropyLoss()(model(tensor(X)), y).backward()
    linears = [m for m in model if isinstance(m, nn.Linear)][:DEPTH]
    return [float(np.linalg.norm(m.weight.grad)) for m in linears]


def _train(model: nn.Sequential, X: np.ndarray, y: np.ndarray, clip: float | None) -> list:
    trainer = Trainer(model, "cross_entropy", optim.SGD(model.parameters(), lr=0.01),
                      verbose=0, clip_grad_norm=clip, reinitialize=False)
    losses: list[float] = []
    with np.errstate(over="ignore", invalid="ignore"):
        _steps(trainer, X, y, losses)
    return losses


def _steps(trainer: Trainer, X: np.ndarray, y: np.ndarray, losses: list[float]) -> None:
    try:
        for _ in range(20):
            losses.append(float(trainer.fit(X, y, epochs=trainer.epochs_done + 1,
                                            batch_size=None).history["loss"][-1]))
    except DivergenceError:
        losses.append(float("inf"))


def run(lab: Context) -> Outcome:
    seed = int(lab.rng(0).integers(1 << 30))
    X, y, _, _ = mnist_subset(512 if lab.quick else 4096, 0, seed=seed % 1000)
    setups = {"sigmoid": ("sigmoid", "xavier_normal"), "tanh": ("tanh", "xavier_normal"),
              "relu": ("relu", "he_normal"), "relu, N(0, 1)": ("relu", "unit_normal")}
    norms = {name: layer_gradient_norms(deep_net(act, init, seed), X, y)
             for name, (act, init) in setups.items()}
    ratio = {name: v[0] / v[-1] for name, v in norms.items()}
    # large weights blow up the forward signal and the backward one: every layer's norm grows
    blow_up = max(norms["relu, N(0, 1)"]) / max(norms["relu"])
    plain = _train(deep_net("relu", "unit_normal", seed), X, y, clip=None)
    clipped = _train(deep_net("relu", "unit_normal", seed), X, y, clip=1.0)
    plain_bad = not np.isfinite(plain[-1]) or plain[-1] > plain[0]
    verdict = all_hold([at_most(ratio["sigmoid"], 1e-2), at_least(ratio["tanh"], ratio["sigmoid"]),
                        at_least(ratio["relu"], 0.1), at_least(blow_up, 1e3),
                        "pass" if plain_bad else "fail", at_most(clipped[-1], clipped[0])])
    if lab.drawing:
        _draw(lab, norms, plain, clipped)
    return Outcome(
        verdict=verdict,
        reason="‖∂J/∂W₁‖ / ‖∂J/∂W₁₀‖: " + ", ".join(f"{k} {v:.1e}" for k, v in ratio.items())
               + f"; N(0, 1) weights: norms {blow_up:.1e} x He's, SGD loss "
               f"{plain[0]:.3g} → {plain[-1]:.3g} plain, "
               f"{clipped[0]:.3g} → {clipped[-1]:.3g} clipped at 1",
        measured={"ratio_first_to_last": ratio, "explosion_vs_he": blow_up,
                  "grad_norms": norms,
                  "loss_plain": [plain[0], plain[-1]], "loss_clipped": [clipped[0], clipped[-1]]},
        config={"depth": DEPTH, "width": WIDTH, "images": len(X), "lr": 0.01, "steps": 20})


def _draw(lab: Context, norms: dict[str, list[float]], plain: list, clipped: list) -> None:
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for name, values in norms.items():
        left.plot(range(1, DEPTH + 1), values, marker="o", ms=3, label=name)
    left.set(yscale="log", xlabel="layer (1 = next to the input)", ylabel="‖∂J/∂W‖",
             title="Gradient norm per layer, 10 hidden layers")
    left.legend(fontsize=8)
    finite = np.where(np.isfinite(plain), plain, np.nan)
    right.plot(finite, marker="o", ms=3, label="plain SGD")
    right.plot(clipped, marker="o", ms=3, label="SGD, gradient norm clipped at 1")
    right.set(yscale="log", xlabel="step", ylabel="training loss",
              title="ReLU net with N(0, 1) weights")
    right.legend(fontsize=8)
    fig.tight_layout()
    lab.save(fig, "gradient_norms")
