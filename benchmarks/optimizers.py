"""Time of one optimizer ``step()`` over a 784-512-256-10 MLP's parameters, mlplab vs PyTorch.

Both sides update the same float32 parameters (535,818 numbers in six arrays) from
the same fixed gradients; only ``step()`` is timed. NumPy's elementwise ufuncs run
on one thread, so PyTorch is given one intra-op thread too (``--torch-threads`` to
change it); PyTorch uses its default implementation (no ``foreach``/``fused`` flag;
on CPU that is the per-tensor loop). The two sides are timed alternately, step by
step, and the median is reported, which keeps background load from favouring
either. Memory: the peak of what one mlplab step allocates beyond what it already
held (tracemalloc), after the first step has created the state.

Run:  python benchmarks/optimizers.py [--steps 200]
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np
import torch

import mlplab.optim as mo
from mlplab.nn.parameter import Parameter

SIZES = (784, 512, 256, 10)

CASES = [
    ("SGD", dict(lr=1e-3)),
    ("SGD", dict(lr=1e-3, momentum=0.9)),
    ("SGD", dict(lr=1e-3, momentum=0.9, nesterov=True, weight_decay=1e-4)),
    ("Adagrad", dict()),
    ("RMSprop", dict()),
    ("RMSprop", dict(momentum=0.9, centered=True)),
    ("Adadelta", dict()),
    ("Adam", dict()),
    ("Adam", dict(amsgrad=True)),
    ("AdamW", dict()),
]


def shapes() -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []
    for n_in, n_out in zip(SIZES, SIZES[1:], strict=False):
        out += [(n_out, n_in), (n_out,)]
    return out


def build(name: str, kwargs: dict, seed: int = 0):
    rng = np.random.default_rng(seed)
    weights = [(0.05 * rng.standard_normal(s)).astype(np.float32) for s in shapes()]
    grads = [(0.01 * rng.standard_normal(s)).astype(np.float32) for s in shapes()]
    ml_ps = [Parameter(w.copy()) for w in weights]
    t_ps = [torch.nn.Parameter(torch.from_numpy(w.copy())) for w in weights]
    for p, t, g in zip(ml_ps, t_ps, grads, strict=True):
        p.grad = g.copy()
        t.grad = torch.from_numpy(g.copy())
    return getattr(mo, name)(ml_ps, **kwargs), getattr(torch.optim, name)(t_ps, **kwargs)


def time_steps(ml_opt, t_opt, steps: int) -> tuple[list[float], list[float]]:
    for _ in range(5):  # warm-up: state creation, caches
        ml_opt.step()
        t_opt.step()
    ours, theirs = [], []
    clock = time.perf_counter
    for _ in range(steps):
        t0 = clock()
        ml_opt.step()
        t1 = clock()
        t_opt.step()
        t2 = clock()
        ours.append(t1 - t0)
        theirs.append(t2 - t1)
    return ours, theirs


def peak_extra_bytes(ml_opt) -> int:
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        ml_opt.step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--torch-threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.torch_threads)
    n_params = sum(int(np.prod(s)) for s in shapes())
    largest = max(int(np.prod(s)) for s in shapes()) * 4
    print(f"784-512-256-10 MLP, {n_params:,} float32 parameters; torch {torch.__version__}, "
          f"{torch.get_num_threads()} thread(s); numpy {np.__version__}; median of "
          f"{args.steps} steps")
    print(f"{'optimizer':<62}{'mlplab µs':>10}{'torch µs':>10}{'ratio':>7}{'min ratio':>10}"
          f"{'peak extra MB':>15}{'/ largest':>10}")
    ratios = []
    for name, kwargs in CASES:
        ml_opt, t_opt = build(name, kwargs)
        ours, theirs = time_steps(ml_opt, t_opt, args.steps)
        peak = peak_extra_bytes(ml_opt)
        ratio = statistics.median(ours) / statistics.median(theirs)
        ratios.append(ratio)
        label = name + "(" + ", ".join(f"{k}={v}" for k, v in kwargs.items()) + ")"
        print(f"{label:<62}{statistics.median(ours) * 1e6:>10.0f}"
              f"{statistics.median(theirs) * 1e6:>10.0f}{ratio:>7.2f}"
              f"{min(ours) / min(theirs):>10.2f}{peak / 2**20:>15.2f}{peak / largest:>10.2f}")
    geo = float(np.exp(np.mean(np.log(ratios))))
    print(f"geometric mean ratio mlplab/torch: {geo:.2f} (largest parameter: "
          f"{largest / 2**20:.2f} MB)")


if __name__ == "__main__":
    main()
