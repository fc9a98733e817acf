"""UCI Adult income prediction: mlplab MLP vs scikit-learn MLPClassifier vs logistic regression.

    python benchmarks/adult.py [--seeds 0 1 2] [--data PATH] [--quick]

Issue 6's tabular target: report mlplab's test accuracy next to scikit-learn's
MLPClassifier on the same split. All three models see the same features:
``ml.data.load_adult`` (numeric columns as they are, categorical ones one-hot, the
encoder fitted on ``adult.data``), then ``ml.data.Standardizer`` fitted on the 32,561
training rows only, x' = (x − μ) / σ. The test set is ``adult.test`` (16,281 rows).

* **mlplab**: d-100-2 ReLU, softmax cross-entropy, Adam (α = 1e-3),
  batch 128, at most 30 epochs with ``EarlyStopping(val_loss, patience=3,
  restore_best_weights=True)`` on a seeded stratified 10 % dev split — the recipe of
  ``tests/train/test_real_data.py``.
* **sklearn MLP**: ``MLPClassifier(early_stopping=True)`` with its defaults (one hidden
  layer of 100 ReLU units, Adam α = 1e-3, batch 200, 10 % dev split, stop after 10
  epochs without a gain of 1e-4 in dev accuracy).
* **logistic regression**: ``LogisticRegression(max_iter=1000)`` (L2, C = 1, lbfgs), a
  linear baseline; it is deterministic, so its spread over seeds is 0.

Each model is trained once per seed (``--seeds``), in this process, one after another;
the table shows the test accuracy as mean ± standard deviation over seeds, the mean
training seconds (``fit`` only, data already loaded and standardized), the mean number
of epochs (lbfgs iterations for logistic regression) and seconds per epoch, and the
ratios mlplab / scikit-learn MLP. The two MLPs stop by different rules (patience 3 on
dev loss vs 10 on dev accuracy) and use different batches (128 vs 200), so compare their
speed by time per epoch rather than by total time. A model that learnt nothing scores
the majority rate, 12,435 / 16,281 ≈ 0.764.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from pathlib import Path

import numpy as np
from _common import dataset_dir

import mlplab as ml

nn = ml.nn


def default_data_dir() -> Path:
    return dataset_dir("uci_adult")


def fit_mlplab(X, y, seed: int, max_epochs: int):
    model = nn.Sequential(nn.Linear(X.shape[1], 100), nn.ReLU(), nn.Linear(100, 2))
    stop = ml.train.callbacks.EarlyStopping(monitor="val_loss", patience=3,
                                            restore_best_weights=True)
    trainer = ml.train.Trainer(model, nn.CrossEntropyLoss(),
                               ml.optim.Adam(model.parameters(), lr=1e-3),
                               callbacks=[stop], seed=seed, verbose=0)
    history = trainer.fit(X, y, epochs=max_epochs, batch_size=128, validation_split=0.1)
    return trainer.predict, len(history.history["loss"])


def fit_sklearn_mlp(X, y, seed: int, max_epochs: int):
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(early_stopping=True, max_iter=max_epochs, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning when --quick caps the epochs
        clf.fit(X, y)
    return clf.predict, clf.n_iter_


def fit_logistic(X, y, seed: int, max_epochs: int):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(max_iter=1000, random_state=seed).fit(X, y)
    return clf.predict, int(np.max(clf.n_iter_))


MODELS = {"mlplab MLP": fit_mlplab, "sklearn MLP": fit_sklearn_mlp,
          "logistic regression": fit_logistic}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--data", default=str(default_data_dir()),
                        help="folder with adult.data and adult.test (default: MLPLAB_DATA)")
    parser.add_argument("--max-epochs", type=int, default=30,
                        help="epoch cap of both MLPs (early stopping usually ends sooner)")
    parser.add_argument("--quick", action="store_true", help="one seed, at most 3 epochs")
    args = parser.parse_args()
    if args.quick:
        args.seeds, args.max_epochs = args.seeds[:1], 3

    start = time.perf_counter()
    train, test = ml.data.load_adult(args.data)
    scaler = ml.data.Standardizer().fit(train.X)  # statistics of the training rows only
    X_train, X_test = scaler.transform(train.X), scaler.transform(test.X)
    majority = float(np.mean(test.y == np.bincount(train.y).argmax()))
    print(f"UCI Adult: {X_train.shape[0]:,} train / {X_test.shape[0]:,} test rows, "
          f"{X_train.shape[1]} standardized features (loaded in "
          f"{time.perf_counter() - start:.1f} s); seeds {args.seeds}; majority rate "
          f"{majority:.4f}; load average {os.getloadavg()[0]:.2f}")

    results: dict[str, dict[str, list[float]]] = {}
    for seed in args.seeds:
        for name, fit in MODELS.items():  # interleaved, so load drifts hit all alike
            row = results.setdefault(name, {"acc": [], "sec": [], "epochs": []})
            t0 = time.perf_counter()
            predict, epochs = fit(X_train, train.y, seed, args.max_epochs)
            row["sec"].append(time.perf_counter() - t0)
            row["acc"].append(float(np.mean(predict(X_test) == test.y)))
            row["epochs"].append(epochs)

    def spread(values: list[float]) -> float:
        return statistics.stdev(values) if len(values) > 1 else 0.0

    print(f"\n{'model':20} {'test accuracy':>17} {'train s':>8} {'epochs':>7} {'s/epoch':>8}"
          f"   accuracy per seed")
    for name, row in results.items():
        accs = " ".join(f"{a:.4f}" for a in row["acc"])
        row["per_epoch"] = [s / e for s, e in zip(row["sec"], row["epochs"], strict=True)]
        print(f"{name:20} {statistics.mean(row['acc']):8.4f} ± {spread(row['acc']):.4f} "
              f"{statistics.mean(row['sec']):8.2f} {statistics.mean(row['epochs']):7.1f} "
              f"{statistics.mean(row['per_epoch']):8.3f}   {accs}")
    ours, peer = results["mlplab MLP"], results["sklearn MLP"]
    acc_ours, acc_peer = statistics.mean(ours["acc"]), statistics.mean(peer["acc"])
    print(f"\nmlplab / sklearn MLP: accuracy {acc_ours / acc_peer:.4f}x "
          f"({100 * (acc_ours - acc_peer):+.2f} points), training time "
          f"{statistics.mean(ours['sec']) / statistics.mean(peer['sec']):.2f}x, time per epoch "
          f"{statistics.mean(ours['per_epoch']) / statistics.mean(peer['per_epoch']):.2f}x")
    print("(epochs include the patience epochs after the best one: 3 for mlplab, 10 for "
          "scikit-learn;\n logistic regression's are lbfgs iterations over the full batch)")
    se = np.sqrt(0.85 * 0.15 / len(test.y))
    print(f"(one binomial standard error of an accuracy near 0.85 on {len(test.y):,} test rows "
          f"is {se:.4f}); total {time.perf_counter() - start:.0f} s, load average "
          f"{os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
