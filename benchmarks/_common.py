"""Helpers shared by the benchmark scripts (run as ``python benchmarks/NAME.py``).

Nothing heavy is imported here: train_mnist.py measures memory after importing this.
"""

from __future__ import annotations

import os
from pathlib import Path


def dataset_dir(name: str) -> Path:
    """``$MLPLAB_DATA/name`` (or ``../shared/datasets/name`` beside the checkout), falling
    back to the base folder itself when it has no such subfolder."""
    env = os.environ.get("MLPLAB_DATA")
    base = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "datasets"
    return base / name if (base / name).is_dir() else base


def blas_threads() -> int:
    """Threads NumPy's BLAS uses (threadpoolctl), so PyTorch can be given the same."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.cpu_count() or 1
    counts = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    return max(counts) if counts else (os.cpu_count() or 1)


def limit_blas_threads(n: int):
    """Make NumPy's BLAS use n threads from now on (threadpoolctl); keep the returned
    limiter alive while they should stay limited."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError as err:
        raise SystemExit("--threads needs threadpoolctl (pip install threadpoolctl), or set "
                         "OPENBLAS_NUM_THREADS / OMP_NUM_THREADS instead") from err
    return threadpool_limits(limits=n, user_api="blas")


def epoch_timer(times: list[float]):
    """A ``Trainer`` callback that appends each epoch's seconds, from ``on_epoch_begin``
    to ``on_epoch_end``, to ``times`` (fit's checks of X and y fall outside)."""
    import time

    from mlplab.train.callbacks import Callback

    class EpochTimer(Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    return EpochTimer()


def alternate_rounds(sides: dict, turns: list[tuple[int, int]], rounds: int,
                     show_round, settle: float = 0.0) -> dict[str, list[float]]:
    """Seconds per epoch of each side, one list entry per round.

    ``sides`` maps a name to ``run(lo, hi)``, which trains rows lo:hi and returns the
    seconds it took. In each round every side trains every turn (a slice of the epoch),
    side after side, and the side that goes first rotates from round to round, so a
    machine's slow and fast phases fall on all alike. ``settle`` seconds are waited,
    untimed, before each turn (idle BLAS threads stop spinning); ``show_round(r, times,
    order)`` prints a round as soon as it is done.
    """
    import time

    names = list(sides)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        spent = dict.fromkeys(names, 0.0)
        for lo, hi in turns:
            for name in order:
                if settle:
                    time.sleep(settle)
                spent[name] += sides[name](lo, hi)
        for name in names:
            times[name].append(spent[name])
        show_round(r, times, order)
    return times
