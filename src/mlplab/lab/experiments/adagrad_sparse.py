"""Claim 9 (sparse features): AdaGrad suits sparse features such as words in text.

AdaGrad divides each parameter's step by the root of the sum of its squared
gradients, θ_j := θ_j − α g_j/(√G_j + ε) with G_j = Σ_t g_j². A feature that appears
in few examples (a rare n-gram) has received few gradients, so G_j stays small and its
weight still takes large steps; a frequent feature's steps shrink. Plain SGD gives
every weight the same α, which is too small for rare features or too large for common
ones. The run trains softmax regression on TF-IDF features of THUCNews headlines for
one epoch with SGD and AdaGrad, each at its best step size from the same grid.
"""

from __future__ import annotations

import numpy as np

from mlplab import nn, optim
from mlplab.data import TextVectorizer
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.experiments.text_headlines import _split
from mlplab.lab.findings import Findings
from mlplab.lab.verdicts import at_least
from mlplab.text import softmax_regression
from mlplab.train import Trainer

RATES = (0.01, 0.1, 1.0)

CLAIM = Claim(
    name="adagrad-sparse", number=9, group="optimization",
    claim="On sparse text features AdaGrad, which gives rarely-seen features larger "
          "steps, learns faster than SGD with one step size for all.",
    term="AdaGrad, 稀疏特征 (sparse features)",
    concept="Gradient descent and its variants",
    expected="Softmax regression on character 1-2-gram TF-IDF of 8000 THUCNews headlines, "
             "one epoch, batch 64, α from {0.01, 0.1, 1} for each: AdaGrad's best test "
             "accuracy (2000 test headlines) is >= SGD's best + 0.02.",
    formula="G_j := G_j + g_j² ;  θ_j := θ_j − α g_j / (√G_j + ε)",
    quick_s=5.0, full_s=60.0)


def run(lab: Context) -> Outcome:
    seed = int(lab.rng(0).integers(1 << 30))
    texts, y, names = _split("train.txt", 8000 if lab.quick else 45000, seed)
    test_texts, y_test, _ = _split("test.txt", 2000 if lab.quick else 10000, seed + 1)
    vectorizer = TextVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True,
                                min_df=2)
    X = vectorizer.fit_transform(texts)
    X_test = vectorizer.transform(test_texts)
    accuracy: dict[str, dict[float, float]] = {"sgd": {}, "adagrad": {}}
    for name in accuracy:
        for lr in RATES:
            model = softmax_regression(X.shape[1], len(names))
            trainer = Trainer(model, nn.CrossEntropyLoss(),
                              optim.get_optimizer(name, model.parameters(), lr=lr),
                              seed=lab.seed, verbose=0)
            trainer.fit(X, y, epochs=1, batch_size=64)
            accuracy[name][lr] = float(np.mean(trainer.predict(X_test) == y_test))
    best = {name: max(acc.values()) for name, acc in accuracy.items()}
    verdict = at_least(best["adagrad"] - best["sgd"], 0.02)
    if lab.drawing:
        _draw(lab, accuracy)
    return Outcome(
        verdict=verdict,
        reason=f"best test accuracy after one epoch: AdaGrad {best['adagrad']:.3f}, SGD "
               f"{best['sgd']:.3f}",
        measured={"test_accuracy": {k: {str(lr): a for lr, a in v.items()}
                                    for k, v in accuracy.items()}, "features": X.shape[1]},
        table=Findings("test accuracy after one epoch", ("α", "SGD", "AdaGrad"), tuple(
            (str(lr), f"{accuracy['sgd'][lr]:.3f}", f"{accuracy['adagrad'][lr]:.3f}")
            for lr in RATES)),
        config={"data": "THUCNews titles", "features": "char 1-2-gram TF-IDF, min_df 2",
                "model": "softmax regression (zeros init)", "epochs": 1, "batch": 64})


def _draw(lab: Context, accuracy: dict) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for name, acc in accuracy.items():
        ax.plot(list(acc), list(acc.values()), "o-", label=name)
    ax.set(xscale="log", xlabel="learning rate α", ylabel="test accuracy after one epoch",
           title="Softmax regression on sparse TF-IDF: SGD vs AdaGrad")
    ax.legend()
    lab.save(fig, "adagrad_sparse")
