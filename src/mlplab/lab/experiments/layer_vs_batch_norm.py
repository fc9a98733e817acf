"""Claim 16: with tiny mini-batches (2-8 examples), layer normalization trains better
than batch normalization (Ba, Kiros & Hinton 2016).

Batch normalization estimates each unit's mean and variance over the mini-batch; with
b = 2 those estimates are two-sample guesses, the normalized activations are noisy,
and the running averages used at test time differ from what training saw. Layer
normalization takes the statistics over the units of one layer for a single example,
μ = (1/H) Σ_i z_i, σ² = (1/H) Σ_i (z_i − μ)², so it computes the same thing at any
batch size and at test time. The run trains the same 784-100-100-10 ReLU net with BN
and with LN after each hidden Linear layer, at batch sizes 2 and 8.
"""

from __future__ import annotations

from mlplab import nn
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.experiments._mnist_nets import fit, mlp, mnist_subset
from mlplab.lab.findings import Findings
from mlplab.lab.verdicts import all_hold, at_least

CLAIM = Claim(
    name="layer-vs-batch-norm", number=16, group="normalization",
    claim="At mini-batch sizes of 2-8, layer normalization trains a network better than "
          "batch normalization, whose per-batch statistics become noisy.",
    term="层归一化 (layer normalization) vs 批归一化",
    concept="Normalization",
    expected="784-100-100-10 ReLU, Adam lr 1e-3, 800 MNIST training images, 2 epochs, dev "
             "accuracy on 1000 test images: at batch 2, LN >= BN + 0.02; at batch 8, LN >= "
             "BN - 0.01 (not worse).",
    formula="BN: statistics over the batch, per unit;  LN: μ = (1/H) Σ_i z_i, "
            "σ² = (1/H) Σ_i (z_i − μ)² over the units, per example",
    paper="Ba, Kiros & Hinton 2016, Fig. 6: LN is robust to batch size (128 vs 4) and "
          "converges faster than BN (curves only)",
    quick_s=6.0, full_s=600.0)


def run(lab: Context) -> Outcome:
    n_train, n_dev, epochs = (800, 1000, 2) if lab.quick else (55000, 10000, 10)
    data = mnist_subset(n_train, n_dev, seed=int(lab.rng(0).integers(1 << 30)))
    result: dict[str, dict[int, float]] = {"BN": {}, "LN": {}}
    for batch in (2, 8):
        for label, norm in (("BN", nn.BatchNorm1d), ("LN", nn.LayerNorm)):
            model = mlp((784, 100, 100, 10), "relu", between=norm)
            history = fit(model, data, epochs, lab.seed, batch_size=batch)
            result[label][batch] = history["val_accuracy"][-1]
    gain = {b: result["LN"][b] - result["BN"][b] for b in (2, 8)}
    verdict = all_hold([at_least(gain[2], 0.02), at_least(gain[8], -0.01)])
    if lab.drawing:
        _draw(lab, result)
    return Outcome(
        verdict=verdict,
        reason=f"dev accuracy at batch 2: LN {result['LN'][2]:.3f} vs BN {result['BN'][2]:.3f};"
               f" at batch 8: LN {result['LN'][8]:.3f} vs BN {result['BN'][8]:.3f}",
        measured={"dev_accuracy": {k: {str(b): v for b, v in r.items()}
                                   for k, r in result.items()}},
        table=Findings("dev accuracy after training", ("batch size", "BN", "LN"), tuple(
            (str(b), f"{result['BN'][b]:.3f}", f"{result['LN'][b]:.3f}") for b in (2, 8))),
        config={"data": f"MNIST {n_train} train / {n_dev} dev", "net": "784-100-100-10 ReLU",
                "optimizer": "Adam lr=1e-3", "epochs": epochs})


def _draw(lab: Context, result: dict) -> None:
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    x = np.arange(2)
    for offset, label in ((-0.2, "BN"), (0.2, "LN")):
        ax.bar(x + offset, [result[label][b] for b in (2, 8)], 0.4, label=label)
    ax.set_xticks(x, ["batch 2", "batch 8"])
    ax.set(ylabel="dev accuracy", title="BatchNorm vs LayerNorm with tiny batches",
           ylim=(0.5, 1.0))
    ax.legend()
    lab.save(fig, "layer_vs_batch_norm")
