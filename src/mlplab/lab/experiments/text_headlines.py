"""Claim 25: on TF-IDF features of news headlines, softmax regression is already a
strong classifier; an MLP with one hidden layer adds little.

Each headline becomes a sparse vector of TF-IDF weights of its character 1-2-grams
(tens of thousands of columns, a dozen non-zero). Softmax regression scores class k as
w_k·x + b_k, so the largest entries of w_k name the n-grams that vote for class k (the
most weighted features per class). An MLP first maps x to h = ReLU(W₁x + b₁); with so
many features, classes are nearly linearly separable already, so the hidden layer can
only refine the linear model. The run trains both on THUCNews headlines (10 classes).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mlplab.data import load_text
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.mnist_subset import data_folder
from mlplab.lab.verdicts import all_hold, at_least, at_most
from mlplab.train.metrics import confusion_matrix

CLAIM = Claim(
    name="text-headlines", number=25, group="text",
    claim="On TF-IDF features of Chinese news headlines, softmax regression is a strong "
          "classifier, an MLP improves on it by little, and the softmax weights name the "
          "n-grams that vote for each class.",
    term="softmax 文本分类 (softmax text classification)",
    concept="Softmax text classification",
    expected="THUCNews headlines, character 1-2-gram TF-IDF, 8000 training / 2000 test "
             "headlines (quick): softmax regression test accuracy >= 0.75; the MLP (64 ReLU "
             "units, dropout 0.5) is within 0.03 of it (|MLP - softmax| <= 0.03).",
    formula="P(y = k | x) = softmax(W x + b)_k ;  score_k = Σ_j W_kj x_j + b_k",
    quick_s=9.0, full_s=120.0)


def _folder() -> Path:
    return (data_folder() or Path("datasets")) / "thucnews_titles"


def _split(name: str, n: int, seed: int) -> tuple[list[str], np.ndarray, list[str]]:
    folder = _folder()
    texts, y, names = load_text(folder / name, label_names=folder / "class.txt")
    keep = np.random.default_rng(seed).permutation(len(texts))[:n]
    return [texts[i] for i in keep], y[keep], names


def run(lab: Context) -> Outcome:
    from mlplab.text import TextClassifier

    n_train, n_test = (8000, 2000) if lab.quick else (45000, 10000)
    seed = int(lab.rng(0).integers(1 << 30))
    texts, y, names = _split("train.txt", n_train, seed)
    test_texts, y_test, _ = _split("test.txt", n_test, seed + 1)
    models, accuracy = {}, {}
    for kind in ("softmax", "mlp"):
        clf = models[kind] = TextClassifier(kind, vectorizer="chinese_chars", seed=lab.seed)
        clf.fit(texts, y, class_names=names)
        accuracy[kind] = float(np.mean(clf.predict(test_texts) == y_test))
    softmax = models["softmax"]
    weights = softmax.model[0].weight.data
    vocabulary = softmax.vectorizer.vocabulary
    top = {name: [vocabulary[j] for j in np.argsort(weights[k])[::-1][:5]]
           for k, name in enumerate(names)}
    cm = confusion_matrix(y_test, softmax.predict(test_texts), num_classes=len(names))
    verdict = all_hold([at_least(accuracy["softmax"], 0.75),
                        at_most(abs(accuracy["mlp"] - accuracy["softmax"]), 0.03)])
    if lab.drawing:
        from mlplab.viz import plot_confusion_matrix

        lab.save(plot_confusion_matrix(cm, names, normalize=True, title=(
            f"Softmax regression on THUCNews headlines (test accuracy "
            f"{accuracy['softmax']:.3f})")), "confusion_matrix")
    return Outcome(
        verdict=verdict,
        reason=f"test accuracy softmax regression {accuracy['softmax']:.3f}, MLP "
               f"{accuracy['mlp']:.3f}",
        measured={"test_accuracy": accuracy, "top_features": top,
                  "confusion_matrix": cm.tolist()},
        config={"data": f"THUCNews titles {n_train} train / {n_test} test", "features":
                "TF-IDF of character 1-2-grams (min_df 2)", "models": "TextClassifier "
                "defaults: softmax (Adam 1e-2, 3 epochs), mlp (64 ReLU, dropout 0.5)"})
