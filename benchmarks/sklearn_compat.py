"""mlplab.sklearn vs scikit-learn's own MLP estimators: quality and fit time.

    python benchmarks/sklearn_compat.py [--rounds 3] [--epochs 20] [--only adult|diabetes]
                                        [--quick]

Both libraries get the same data, the same architecture and the same solver, and
train for the same number of epochs (``n_iter_no_change`` set beyond ``--epochs`` so
that neither stops early, making the fit times comparable):

* **Adult** (classification): ``ml.data.load_adult`` features (one-hot categories) in
  float64, standardized with scikit-learn's ``StandardScaler`` fitted on ``adult.data``
  (32,561 rows); test accuracy on ``adult.test`` (16,281 rows).
  ``MLPClassifier(hidden_layer_sizes=(100,), solver='adam')``, batch 'auto' (200).
* **diabetes** (regression): ``sklearn.datasets.load_diabetes`` (442 rows), split 75/25
  with a fixed seed, standardized; ``MLPRegressor((100,), learning_rate_init=0.01)``
  for 10 × ``--epochs`` epochs (an epoch is 2 batches here); test R².

Each configuration is fitted ``--rounds`` times, the libraries interleaved (mlplab,
scikit-learn, mlplab, …) with the same ``random_state`` per round; the table gives the
median quality, median ``fit`` wall-clock seconds and CPU seconds (all threads),
and the ratios mlplab / scikit-learn
(time ratio < 1: mlplab is faster).

The two libraries draw different initial weights and batch orders from the same seed,
so one round's quality difference is mostly seed noise. The second table pairs the
rounds by seed: the mean difference mlplab − scikit-learn with its 95 % interval
(mean ± 1.96 · sd/√n). "at least equal" means the interval reaches 0 or lies above it;
"lower" means it lies wholly below 0. The mlplab float32 row trains in float32
(``dtype='float32'``) on the same float64 input; scikit-learn has no such option.
Timings on a shared machine are noisy: read the ratios, and rerun.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import dataset_dir  # noqa: E402


def adult_data():
    from sklearn.preprocessing import StandardScaler

    import mlplab as ml

    train, test = ml.data.load_adult(dataset_dir("uci_adult"))
    # float64, as a user's pandas/NumPy table usually is: scikit-learn trains in the
    # input's dtype, so both libraries then train in float64 (the float32 row is mlplab's)
    X_train, X_test = train.X.astype("float64"), test.X.astype("float64")
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), train.y, scaler.transform(X_test), test.y


def diabetes_data():
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), y_train, scaler.transform(X_test), y_test


def timed_fit(estimator, data):
    from sklearn.exceptions import ConvergenceWarning

    X_train, y_train, X_test, y_test = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start, cpu = time.perf_counter(), time.process_time()
        estimator.fit(X_train, y_train)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return estimator.score(X_test, y_test), seconds, cpu


def run(rounds: int, epochs: int, adult_rows: int | None, only: str | None) -> list[tuple]:
    import mlplab.sklearn as mls
    from sklearn import neural_network as sk

    tasks = []
    if only in (None, "adult"):
        adult = adult_data()
        if adult_rows:
            adult = (adult[0][:adult_rows], adult[1][:adult_rows], adult[2], adult[3])
        tasks.append(("Adult accuracy", adult, "MLPClassifier", epochs, {}))
    if only in (None, "diabetes"):
        tasks.append(("diabetes R²", diabetes_data(), "MLPRegressor", 10 * epochs,
                      {"learning_rate_init": 0.01}))
    rows = []
    for title, data, name, n_epochs, extra in tasks:
        common = dict(hidden_layer_sizes=(100,), max_iter=n_epochs,
                      n_iter_no_change=n_epochs + 1, **extra)
        ours, theirs = getattr(mls, name), getattr(sk, name)
        makers = {"mlplab": (ours, common),
                  "mlplab float32": (ours, {**common, "dtype": "float32"}),
                  "scikit-learn": (theirs, common)}
        results = {k: [] for k in makers}
        for seed in range(rounds):
            for key, (cls, kwargs) in makers.items():
                results[key].append(timed_fit(cls(random_state=seed, **kwargs), data))
        rows.append((title, {k: tuple(statistics.median(r[i] for r in v) for i in range(3))
                             for k, v in results.items()},
                     {k: [r[0] for r in v] for k, v in results.items()}))
    return rows


def paired_difference(ours: list[float], theirs: list[float]) -> tuple[float, float]:
    """(mean, half-width of the 95 % interval) of the per-seed differences ours − theirs."""
    diffs = [a - b for a, b in zip(ours, theirs, strict=True)]
    if len(diffs) < 2:
        return diffs[0], float("nan")
    return statistics.fmean(diffs), 1.96 * statistics.stdev(diffs) / len(diffs) ** 0.5


def quality_table(rows: list[tuple]) -> str:
    lines = [f"{'task':<16}{'library':<16}{'mean ± sd':>18}{'Δ vs scikit-learn (95 %)':>30}"
             f"{'verdict':>16}", "-" * 96]
    for title, _, qualities in rows:
        ref = qualities["scikit-learn"]
        for key, values in qualities.items():
            sd = statistics.stdev(values) if len(values) > 1 else float("nan")
            spread = f"{statistics.fmean(values):.4f} ± {sd:.4f}"
            if key == "scikit-learn":
                lines.append(f"{title:<16}{key:<16}{spread:>18}")
                continue
            mean, half = paired_difference(values, ref)
            verdict = ("n/a (1 round)" if half != half else
                       "lower" if mean + half < 0 else "at least equal")
            lines.append(f"{title:<16}{key:<16}{spread:>18}"
                         f"{f'{mean:+.4f} ± {half:.4f}':>30}{verdict:>16}")
    lines.append(f"(over {len(rows[0][2]['scikit-learn'])} seeds, paired by random_state)")
    return "\n".join(lines)


def table(rows: list[tuple], epochs: int) -> str:
    lines = [f"{'task':<16}{'library':<16}{'quality':>9}{'fit s':>9}{'CPU s':>9}"
             f"{'quality ratio':>15}{'time ratio':>12}{'CPU ratio':>11}", "-" * 97]
    for title, results, _ in rows:
        ref_q, ref_t, ref_c = results["scikit-learn"]
        for key, (quality, seconds, cpu) in results.items():
            lines.append(f"{title:<16}{key:<16}{quality:>9.4f}{seconds:>9.2f}{cpu:>9.2f}"
                         f"{quality / ref_q:>15.3f}{seconds / ref_t:>12.2f}{cpu / ref_c:>11.2f}")
    lines.append(f"(Adult {epochs} epochs, diabetes {10 * epochs}; medians over rounds; "
                 "ratios are mlplab / scikit-learn)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--only", choices=("adult", "diabetes"), default=None)
    parser.add_argument("--quick", action="store_true",
                        help="1 round, 3 epochs, 4,000 Adult rows (a smoke test)")
    args = parser.parse_args()
    rounds, epochs, rows = args.rounds, args.epochs, None
    if args.quick:
        rounds, epochs, rows = 1, 3, 4000
    results = run(rounds, epochs, rows, args.only)
    print(table(results, epochs))
    print()
    print(quality_table(results))


if __name__ == "__main__":
    main()
