"""Training MNIST: mlplab vs PyTorch vs hand-written NumPy vs scikit-learn, side by side.

    python benchmarks/train_mnist.py [--epochs 3] [--repeats 3] [--data PATH] [--quick]
    python benchmarks/train_mnist.py --alternate [--rounds 7] [--turn 50] [--threads N]

The network is 784-512-256-10 ReLU with softmax cross-entropy, trained by SGD with
momentum (lr 0.01, μ 0.9) on mini-batches of 128 shuffled samples, float32
throughout. Each framework runs in its own fresh subprocess (so its memory is its
own), the subprocesses run round-robin ``--repeats`` times (a busy machine slows all
alike) and the medians are reported:

* **samples/s**: 60,000 / seconds of one training epoch (median over every epoch of
  every repeat);
* **peak RSS above the data**: the subprocess first loads MNIST with a small
  stand-alone IDX reader (no framework imported yet) and notes its resident memory;
  the peak resident memory after that — importing the framework, building the
  model, training — minus that baseline. "train" is the part after import and model
  construction. Peaks come from /proc/self/status VmHWM, reset with clear_refs when
  the kernel allows it (else getrusage's ru_maxrss);
* **test accuracy** after ``--epochs`` epochs.

Then, in this process, the latency of predicting one sample (batch 1, median of many
calls, interleaved): mlplab ``Trainer.predict``, a raw mlplab forward under
``ml.no_grad()``, PyTorch ``model(x)`` under ``torch.no_grad()``, and the three matrix
products in bare NumPy (the floor any NumPy library sits on).

``--alternate`` measures speed alone, in one process, where a busy machine's slow and
fast phases cannot favour one side: each of ``--rounds`` rounds trains one full epoch
of each side — mlplab ``Trainer.fit``, the hand-written NumPy loop, PyTorch, and the
floor: the same epoch's matrix products in bare NumPy with nothing else — in turns of
``--turn`` steps (default 50; 0 = whole epochs), side after side, rotating the order
every round. A Trainer turn is one ``fit`` on those 6,400 rows, shuffled, timed from
``on_epoch_begin`` to ``on_epoch_end`` (fit's checks of X and y fall outside). It
prints every round's epoch times, the median over rounds of the per-round speed ratios
(speed = 1/time; > 1 means mlplab is faster) with their min and max, and each side's
achieved FLOP rate. A step on a batch of B rows does, counting the matrix products only
(elementwise work, softmax and the update are left out: about 1% of the count)::

    forward   2·B·Σ_l n_{l-1}·n_l             (Z = A_prev Wᵀ)
    backward  2·B·Σ_l n_{l-1}·n_l              (dW = dZᵀ A_prev)
            + 2·B·Σ_{l≥2} n_{l-1}·n_l          (dA_prev = dZ W; none for the input)
    total     2·B·(3·Σ_l n_{l-1}·n_l − n_0·n_1)  = 308 MFLOP at B = 128

so an epoch of 60,000 rows is 144.4 GFLOP. The achieved rate (FLOPs / epoch time) is
given as a fraction of two sgemm rates measured in the same process: the floor side's
(the step's own shapes and transposes, float32 ``np.matmul`` into preallocated
outputs; its per-round time is the physical limit for this workload) and the best of
several 1024 × 1024 products (the machine's peak).

Torch runs with ``torch.set_num_threads`` equal to the BLAS threads NumPy uses
(threadpoolctl), so every framework gets the same cores; ``--threads N`` sets both.
With more than one thread, OpenBLAS's idle threads keep spinning for about a tenth of
a second after NumPy's last product, and PyTorch's OpenMP threads after its last op;
a turn that starts in that window shares the cores with them (PyTorch ran at half its
own-process speed that way). ``--alternate`` therefore waits ``--settle`` seconds
(default 0.3 with more than one thread), untimed, before each turn.

Targets: issue 6, mlplab ≥ 1.05× PyTorch's samples/s (≥ 0.95× the hand-written loop),
peak RSS ≤ 50 MiB above the data, batch-1 predict ≤ 60 µs; issue 18 (``--alternate``),
≥ 1.05× the hand-written loop and ≥ 1.25× PyTorch.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from _common import alternate_rounds, blas_threads, dataset_dir, epoch_timer, limit_blas_threads

FRAMEWORKS = ("mlplab", "mlplab-loop", "torch", "numpy", "sklearn")
SIZES = (784, 512, 256, 10)
LR, MOMENTUM, BATCH = 0.01, 0.9, 128
MiB = 1024 * 1024


# ----- data and memory, with nothing but NumPy ------------------------------------------
def default_data_dir() -> Path:
    return dataset_dir("mnist")


def read_idx_gz(path: Path, header: int) -> np.ndarray:
    with gzip.open(path, "rb") as fh:
        raw = fh.read()
    return np.frombuffer(raw, dtype=np.uint8, offset=header)


def load_data(folder: Path) -> tuple[np.ndarray, ...]:
    """MNIST as float32 pixels in [0, 1] (n, 784) and int64 labels, like ml.data.load_mnist."""
    out = []
    for prefix, n in (("train", 60000), ("t10k", 10000)):
        images = read_idx_gz(folder / f"{prefix}-images-idx3-ubyte.gz", 16).reshape(n, 784)
        labels = read_idx_gz(folder / f"{prefix}-labels-idx1-ubyte.gz", 8)
        out += [np.divide(images, np.float32(255.0), dtype=np.float32), labels.astype(np.int64)]
    return tuple(out)


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def rss_bytes() -> int:
    kib = _status_kib("VmRSS")
    if kib is None:  # not Linux: resource's peak is the best available proxy
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform ==
                                                                     "darwin" else 1024)
    return kib * 1024


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS counter (Linux ≥ 4.0); False where that is impossible."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def peak_bytes() -> int:
    kib = _status_kib("VmHWM")
    if kib is None:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform ==
                                                                     "darwin" else 1024)
    return kib * 1024


def accuracy(pred: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(pred == y))


# ----- the sides: each builds its model and returns (train, predict) --------------------
# train(lo, hi) takes the steps on rows lo:hi of the side's shuffled epoch (lo and hi are
# multiples of the batch size, or hi = 60,000) and returns their seconds, the training
# loop alone; train(0, 60000) is one epoch. predict(X) returns class labels.
def mlplab_side(data, seed: int, manual: bool = False):
    import mlplab as ml

    Xtr, ytr = data[:2]
    model = ml.nn.Sequential(ml.nn.Linear(784, 512), ml.nn.ReLU(), ml.nn.Linear(512, 256),
                             ml.nn.ReLU(), ml.nn.Linear(256, 10))
    opt = ml.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = ml.nn.CrossEntropyLoss()
    if manual:  # the plain PyTorch-style loop: what the Trainer adds on top is visible
        rng = np.random.default_rng(seed)

        def loop_train(lo: int, hi: int) -> float:
            loader = ml.data.DataLoader(Xtr[lo:hi], ytr[lo:hi], batch_size=BATCH,
                                        shuffle=True, seed=rng)
            start = time.perf_counter()
            for xb, yb in loader:
                loss = loss_fn(model(ml.Tensor(xb)), ml.Tensor(yb))
                opt.zero_grad()
                loss.backward()
                opt.step()
            return time.perf_counter() - start

        def loop_predict(X):
            with ml.no_grad():
                model.eval()
                pred = np.concatenate([model(ml.Tensor(X[i:i + 1000])).data.argmax(1)
                                       for i in range(0, len(X), 1000)])
            model.train()
            return pred

        return loop_train, loop_predict

    times: list[float] = []

    trainer = ml.train.Trainer(model, loss_fn, opt, callbacks=[epoch_timer(times)], seed=seed,
                               verbose=0)

    def train(lo: int, hi: int) -> float:  # one fit "epoch" on rows lo:hi, shuffled
        # fit's checks of X and y run before on_epoch_begin: outside the timed loop
        trainer.fit(Xtr[lo:hi], ytr[lo:hi], epochs=trainer.epochs_done + 1, batch_size=BATCH)
        return times[-1]

    return train, trainer.predict


def torch_side(data, seed: int, threads: int):
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    Xtr, ytr = (torch.from_numpy(a) for a in data[:2])
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(),
                                torch.nn.Linear(512, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = torch.nn.CrossEntropyLoss()

    order = torch.randperm(len(Xtr))

    def train(lo: int, hi: int) -> float:
        nonlocal order
        start = time.perf_counter()
        if lo == 0:
            order = torch.randperm(len(Xtr))
        for i in range(lo, hi, BATCH):
            idx = order[i:min(i + BATCH, hi)]
            loss = loss_fn(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        return time.perf_counter() - start

    def predict(X):
        with torch.no_grad():
            return model(torch.from_numpy(X)).argmax(1).numpy()

    return train, predict


def numpy_side(data, seed: int):
    """The notes' vectorized backprop written by hand: what a framework should cost nothing
    over. Z = X Wᵀ + b, A = max(Z, 0); dZ_L = (softmax(Z_L) − Y)/m; dW = dZᵀ A_prev,
    db = Σ dZ, dA_prev = dZ W; momentum v := μ v + dW, W := W − α v."""
    Xtr, ytr = data[:2]
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:], strict=True):
        bound = 1 / np.sqrt(n_in)  # PyTorch's default U(−1/√n, 1/√n)
        params.append(rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, n_out).astype(np.float32))
    velocity = [np.zeros_like(p) for p in params]

    def forward(x):
        acts = [x]
        for k in range(0, len(params), 2):
            z = acts[-1] @ params[k].T
            z += params[k + 1]
            if k < len(params) - 2:
                np.maximum(z, 0, out=z)
            acts.append(z)
        return acts

    order = rng.permutation(len(Xtr))

    def train(lo: int, hi: int) -> float:
        nonlocal order
        start = time.perf_counter()
        if lo == 0:
            order = rng.permutation(len(Xtr))
        for i in range(lo, hi, BATCH):
            idx = order[i:min(i + BATCH, hi)]
            xb, yb = Xtr[idx], ytr[idx]
            acts = forward(xb)
            z = acts[-1]
            z -= z.max(axis=1, keepdims=True)
            np.exp(z, out=z)
            z /= z.sum(axis=1, keepdims=True)
            z[np.arange(len(yb)), yb] -= 1
            dz = z
            dz /= len(yb)
            for k in range(len(params) - 2, -1, -2):
                a_prev = acts[k // 2]
                grads = (dz.T @ a_prev, dz.sum(axis=0))
                if k:
                    dz_prev = dz @ params[k]
                    dz_prev *= a_prev > 0
                for j, g in enumerate(grads):
                    v = velocity[k + j]
                    v *= MOMENTUM
                    v += g
                    g = np.multiply(v, LR, out=g)
                    params[k + j] -= g
                if k:
                    dz = dz_prev
        return time.perf_counter() - start

    def predict(X):
        return np.concatenate([forward(X[i:i + 1000])[-1].argmax(1)
                               for i in range(0, len(X), 1000)])

    return train, predict


def sklearn_side(data, seed: int):
    import warnings

    from sklearn.neural_network import MLPClassifier

    Xtr, ytr = data[:2]
    clf = MLPClassifier(hidden_layer_sizes=SIZES[1:-1], solver="sgd", learning_rate_init=LR,
                        momentum=MOMENTUM, nesterovs_momentum=False, batch_size=BATCH,
                        alpha=0.0, shuffle=True, random_state=seed)

    def train(lo: int, hi: int) -> float:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()  # one epoch of mini-batches over rows lo:hi
            clf.partial_fit(Xtr[lo:hi], ytr[lo:hi], classes=np.arange(10))
            return time.perf_counter() - start

    return train, clf.predict


def matmul_side(data, seed: int):
    """The floor: an epoch's matrix products of the step (same shapes, same transposes as
    the hand-written loop) in bare float32 np.matmul into preallocated outputs."""
    rng = np.random.default_rng(seed)
    n = len(data[0])
    layers = list(zip(SIZES[:-1], SIZES[1:], strict=True))
    ws = [rng.standard_normal((o, i), dtype=np.float32) for i, o in layers]

    def arrays(b):
        acts = [rng.standard_normal((b, k), dtype=np.float32) for k in SIZES]
        return acts, [np.empty_like(w) for w in ws]

    by_size = {b: arrays(b) for b in {BATCH, n % BATCH or BATCH}}

    def train(lo: int, hi: int) -> float:
        start = time.perf_counter()
        for i in range(lo, hi, BATCH):
            acts, dws = by_size[min(BATCH, hi - i)]
            for k, w in enumerate(ws):  # forward: Z = A_prev Wᵀ
                np.matmul(acts[k], w.T, out=acts[k + 1])
            for k in range(len(ws) - 1, -1, -1):  # backward: dW = dZᵀ A_prev, dA = dZ W
                np.matmul(acts[k + 1].T, acts[k], out=dws[k])
                if k:
                    np.matmul(acts[k + 1], ws[k], out=acts[k])
        return time.perf_counter() - start

    return train, None


def build_side(name: str, data, seed: int, threads: int):
    if name in ("mlplab", "mlplab-loop"):
        return mlplab_side(data, seed, manual=name == "mlplab-loop")
    if name == "torch":
        return torch_side(data, seed, threads)
    if name == "numpy":
        return numpy_side(data, seed)
    if name == "matmul":
        return matmul_side(data, seed)
    return sklearn_side(data, seed)


def step_flops(batch: int) -> int:
    """Floating-point operations of the matrix products in one step on `batch` rows
    (the formula in the module docstring)."""
    total = sum(i * o for i, o in zip(SIZES[:-1], SIZES[1:], strict=True))
    return 2 * batch * (3 * total - SIZES[0] * SIZES[1])


def worker(name: str, args: argparse.Namespace) -> dict:
    data = load_data(Path(args.data))
    baseline = rss_bytes()
    can_reset = reset_peak()
    train, predict = build_side(name, data, args.seed, args.threads)
    built = rss_bytes()
    times = [train(0, len(data[0])) for _ in range(args.epochs)]
    acc = accuracy(predict(data[2]), data[3])
    peak = peak_bytes() if can_reset else max(peak_bytes(), baseline)
    return {"name": name, "times": times, "accuracy": acc, "peak": peak - baseline,
            "setup": built - baseline, "train_peak": peak - built, "exact_peak": can_reset,
            "samples": len(data[0])}


# ----- speed alone: epochs alternating in one process ----------------------------------------
ALTERNATED = {"mlplab": "mlplab Trainer.fit", "numpy": "hand-written NumPy",
              "torch": "PyTorch", "matmul": "matmul floor"}


def sgemm_square(n: int = 1024, reps: int = 10) -> float:
    """GFLOP/s of the best of `reps` float32 n × n products (the machine's peak sgemm)."""
    a, b = (np.random.default_rng(k).standard_normal((n, n), dtype=np.float32) for k in (0, 1))
    out = np.empty_like(a)
    best = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        np.matmul(a, b, out=out)
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def alternate(args: argparse.Namespace, threads: int) -> None:
    data = load_data(Path(args.data))
    n, names = len(data[0]), list(ALTERNATED)
    sides = {name: build_side(name, data, args.seed, threads) for name in names}
    rows = args.turn * BATCH if args.turn else n
    turns = [(lo, min(lo + rows, n)) for lo in range(0, n, rows)]
    flops = step_flops(n) / 1e9  # one epoch, GFLOP (linear in the batch size)
    peak = [sgemm_square()]
    print(f"one epoch = {flops:.1f} GFLOP of matrix products; each round is one epoch per "
          f"side in turns of {args.turn or 'all'} steps, the order rotating each round\n")
    print(f"{'round':>5}  " + " ".join(f"{k:>7}" for k in names) + "   (seconds per epoch)")
    def show_round(r, times, order):
        print(f"{r + 1:>5}  " + " ".join(f"{times[k][-1]:7.3f}" for k in names)
              + f"   first: {order[0]}", flush=True)

    times = alternate_rounds({name: run for name, (run, _) in sides.items()}, turns,
                             args.rounds, show_round, settle=args.settle)
    peak.append(sgemm_square())
    floor = times["matmul"]
    print(f"\nsgemm 1024 x 1024, best of 10: {peak[0]:.1f} GFLOP/s before, {peak[1]:.1f} after")
    print(f"\n{'':20} {'median s':>9} {'GFLOP/s':>8} {'of floor':>9} {'of 1024²':>9} "
          f"{'test acc':>9}")
    for name, label in ALTERNATED.items():
        med = statistics.median(times[name])
        share = statistics.median(f / t for f, t in zip(floor, times[name], strict=True))
        acc = "" if sides[name][1] is None else \
            f"{accuracy(sides[name][1](data[2]), data[3]):9.4f}"
        print(f"{label:20} {med:9.3f} {flops / med:8.1f} {share:9.2f} "
              f"{flops / med / max(peak):9.2f} {acc}")
    print("(of floor: median over rounds of floor time / this side's time = achieved FLOP/s"
          " as a fraction of the step-shaped sgemm rate)\n")
    for peer, target in (("numpy", 1.05), ("torch", 1.25)):
        ratios = [t / m for t, m in zip(times[peer], times["mlplab"], strict=True)]
        print(f"mlplab / {ALTERNATED[peer]:18} speed {statistics.median(ratios):5.3f}x "
              f"(min {min(ratios):.3f}, max {max(ratios):.3f}; target >= {target:.2f}x)")
    print(f"load average now {os.getloadavg()[0]:.2f}")


# ----- batch-1 latency, in this process -----------------------------------------------------
def latency(args: argparse.Namespace, threads: int) -> dict[str, float]:
    import torch

    import mlplab as ml

    torch.set_num_threads(threads)
    Xtr, ytr, Xte, _ = load_data(Path(args.data))
    model = ml.nn.Sequential(ml.nn.Linear(784, 512), ml.nn.ReLU(), ml.nn.Linear(512, 256),
                             ml.nn.ReLU(), ml.nn.Linear(256, 10))
    trainer = ml.train.Trainer(model, ml.nn.CrossEntropyLoss(),
                               ml.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM),
                               seed=args.seed, verbose=0)
    trainer.fit(Xtr[:2048], ytr[:2048], epochs=1, batch_size=BATCH)
    tmodel = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(),
                                 torch.nn.Linear(512, 256), torch.nn.ReLU(),
                                 torch.nn.Linear(256, 10)).eval()
    with torch.no_grad():  # same weights: the outputs must agree
        for layer, tlayer in zip(model, tmodel, strict=True):
            if hasattr(layer, "weight"):
                tlayer.weight.copy_(torch.from_numpy(layer.weight.data))
                tlayer.bias.copy_(torch.from_numpy(layer.bias.data))
    x_np = Xte[:1].copy()
    x_t = torch.from_numpy(x_np)

    def raw_forward():
        with ml.no_grad():
            return model(ml.Tensor(x_np)).data

    def torch_forward():
        with torch.no_grad():
            return tmodel(x_t)

    weights = [(layer.weight.data, layer.bias.data) for layer in model if hasattr(layer, "weight")]

    def numpy_forward():  # the floor: the same three products, nothing else
        a = x_np
        for k, (w, b) in enumerate(weights):
            a = a @ w.T
            a += b
            if k < len(weights) - 1:
                np.maximum(a, 0, out=a)
        return a.argmax(1)

    fns = {"mlplab Trainer.predict": lambda: trainer.predict(x_np),
           "mlplab forward, no_grad": raw_forward,
           "torch model(x), no_grad": torch_forward,
           "hand-written NumPy": numpy_forward}
    ref = torch_forward().numpy()
    np.testing.assert_allclose(raw_forward(), ref, rtol=1e-4, atol=1e-5)
    assert trainer.predict(x_np)[0] == ref.argmax()
    samples: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(200):  # warm-up
        for fn in fns.values():
            fn()
    clock = time.perf_counter_ns
    for _ in range(args.latency_rounds):
        for name, fn in fns.items():  # interleaved, so load drifts hit all alike
            for _ in range(50):
                start = clock()
                fn()
                samples[name].append((clock() - start) / 1e3)
    return {name: statistics.median(v) for name, v in samples.items()}


# ----- the report ---------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs per run (default 3)")
    parser.add_argument("--repeats", type=int, default=3, help="round-robin repeats")
    parser.add_argument("--data", default=str(default_data_dir()),
                        help="folder with the MNIST IDX .gz files (default: MLPLAB_DATA)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", choices=FRAMEWORKS, default=list(FRAMEWORKS))
    parser.add_argument("--latency-rounds", type=int, default=40)
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--quick", action="store_true", help="1 epoch, 1 repeat, short latency")
    parser.add_argument("--alternate", action="store_true",
                        help="speed only: epochs of mlplab, NumPy, torch alternating in one "
                             "process, with FLOP rates")
    parser.add_argument("--rounds", type=int, default=7, help="--alternate rounds (default 7)")
    parser.add_argument("--turn", type=int, default=50,
                        help="--alternate: steps per side before the next side's turn "
                             "(default 50; 0 = a whole epoch)")
    parser.add_argument("--threads", type=int, default=0,
                        help="BLAS and torch threads (default: NumPy's own count)")
    parser.add_argument("--settle", type=float, default=None,
                        help="--alternate: untimed pause in seconds before each turn (default "
                             "0.3 with more than one thread, else 0)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    _limit = limit_blas_threads(args.threads) if args.threads else None  # held until exit
    if args.worker:
        print(json.dumps(worker(args.worker, args)))
        return
    if args.quick:
        args.epochs, args.repeats, args.latency_rounds = 1, 1, 10
    threads = blas_threads()
    if args.alternate:
        if args.settle is None:
            args.settle = 0.3 if threads > 1 else 0.0
        print(f"784-512-256-10 ReLU, SGD lr={LR} momentum={MOMENTUM}, batch {BATCH}, float32, "
              f"{args.rounds} alternated round(s); {threads} BLAS/torch threads, "
              f"{args.settle:g} s pause before each turn; "
              f"load average {os.getloadavg()[0]:.2f}")
        alternate(args, threads)
        return
    print(f"784-512-256-10 ReLU, SGD lr={LR} momentum={MOMENTUM}, batch {BATCH}, float32, "
          f"{args.epochs} epoch(s) x {args.repeats} repeat(s); {threads} BLAS/torch threads; "
          f"load average {os.getloadavg()[0]:.2f}")
    runs: dict[str, list[dict]] = {name: [] for name in args.only}
    for r in range(args.repeats):
        order = args.only[r % len(args.only):] + args.only[:r % len(args.only)]
        for name in order:
            cmd = [sys.executable, __file__, "--worker", name, "--epochs", str(args.epochs),
                   "--data", args.data, "--seed", str(args.seed + r), "--threads", str(threads)]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True)
            runs[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    rows = {}
    for name, results in runs.items():
        epoch_times = [t for res in results for t in res["times"]]
        rows[name] = {
            "sps": results[0]["samples"] / statistics.median(epoch_times),
            "peak": statistics.median(res["peak"] for res in results) / MiB,
            "setup": statistics.median(res["setup"] for res in results) / MiB,
            "train": statistics.median(res["train_peak"] for res in results) / MiB,
            "acc": statistics.median(res["accuracy"] for res in results),
        }
    exact = all(res["exact_peak"] for results in runs.values() for res in results)
    print(f"\n{'':13} {'samples/s':>10} {'peak RSS above data':>20} {'(import+model':>14} "
          f"{'train)':>7} {'test acc':>9}")
    for name, row in rows.items():
        print(f"{name:13} {row['sps']:10,.0f} {row['peak']:16.1f} MiB {row['setup']:14.1f} "
              f"{row['train']:7.1f} {row['acc']:9.4f}")
    if not exact:
        print("(peak RSS from ru_maxrss: the kernel does not allow resetting the peak)")
    print(f"load average now {os.getloadavg()[0]:.2f}")
    if "mlplab" in rows:
        ml_row = rows["mlplab"]
        print()
        for peer, target in (("torch", 1.05), ("numpy", 0.95), ("sklearn", None),
                             ("mlplab-loop", None)):
            if peer in rows:
                ratio = ml_row["sps"] / rows[peer]["sps"]
                goal = f"(target >= {target:.2f}x)" if target else ""
                print(f"mlplab / {peer:12} samples/s {ratio:5.2f}x {goal}")
        print(f"mlplab peak RSS above data {ml_row['peak']:.1f} MiB (target <= 50 MiB)")
    if not args.no_latency:
        lat = latency(args, threads)
        print("\nbatch-1 predict latency (median µs)")
        torch_us = lat["torch model(x), no_grad"]
        for name, us in lat.items():
            print(f"  {name:26} {us:8.1f} µs   {us / torch_us:5.2f}x torch")
        print("  target: mlplab predict <= 60 µs")


if __name__ == "__main__":
    main()
