"""Training MNIST: mlplab vs PyTorch vs hand-written NumPy vs scikit-learn, side by side.

    python benchmarks/train_mnist.py [--epochs 3] [--repeats 3] [--data PATH] [--quick]

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

Torch runs with ``torch.set_num_threads`` equal to the BLAS threads NumPy uses
(threadpoolctl), so every framework gets the same cores.

Targets from issue 6: mlplab ≥ 1.05× PyTorch's samples/s (≥ 0.95× the hand-written
loop), peak RSS ≤ 50 MiB above the data, batch-1 predict ≤ 60 µs.
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
from _common import blas_threads, dataset_dir

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


# ----- one framework per subprocess -------------------------------------------------------
def run_mlplab(data, epochs: int, seed: int, manual: bool):
    import mlplab as ml

    Xtr, ytr, Xte, yte = data
    model = ml.nn.Sequential(ml.nn.Linear(784, 512), ml.nn.ReLU(), ml.nn.Linear(512, 256),
                             ml.nn.ReLU(), ml.nn.Linear(256, 10))
    opt = ml.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = ml.nn.CrossEntropyLoss()
    times: list[float] = []
    if manual:  # the plain PyTorch-style loop: what the Trainer adds on top is visible
        built = rss_bytes()
        loader = ml.data.DataLoader(Xtr, ytr, batch_size=BATCH, shuffle=True, seed=seed)
        for _ in range(epochs):
            start = time.perf_counter()
            for xb, yb in loader:
                loss = loss_fn(model(ml.Tensor(xb)), ml.Tensor(yb))
                opt.zero_grad()
                loss.backward()
                opt.step()
            times.append(time.perf_counter() - start)
        with ml.no_grad():
            model.eval()
            pred = np.concatenate([model(ml.Tensor(Xte[i:i + 1000])).data.argmax(1)
                                   for i in range(0, len(Xte), 1000)])
        return built, times, accuracy(pred, yte)

    class EpochTimer(ml.train.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    trainer = ml.train.Trainer(model, loss_fn, opt, callbacks=[EpochTimer()], seed=seed,
                               verbose=0)
    built = rss_bytes()
    trainer.fit(Xtr, ytr, epochs=epochs, batch_size=BATCH)
    return built, times, accuracy(trainer.predict(Xte), yte)


def run_torch(data, epochs: int, seed: int, threads: int):
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    Xtr, ytr, Xte, yte = (torch.from_numpy(a) for a in data)
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(),
                                torch.nn.Linear(512, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = torch.nn.CrossEntropyLoss()
    built = rss_bytes()
    times = []
    n = len(Xtr)
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(n)
        for i in range(0, n, BATCH):
            idx = order[i:i + BATCH]
            loss = loss_fn(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
    with torch.no_grad():
        pred = model(Xte).argmax(1).numpy()
    return built, times, accuracy(pred, yte.numpy())


def run_numpy(data, epochs: int, seed: int):
    """The notes' vectorized backprop written by hand: what a framework should cost nothing
    over. Z = X Wᵀ + b, A = max(Z, 0); dZ_L = (softmax(Z_L) − Y)/m; dW = dZᵀ A_prev,
    db = Σ dZ, dA_prev = dZ W; momentum v := μ v + dW, W := W − α v."""
    Xtr, ytr, Xte, yte = data
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:], strict=True):
        bound = 1 / np.sqrt(n_in)  # PyTorch's default U(−1/√n, 1/√n)
        params.append(rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, n_out).astype(np.float32))
    velocity = [np.zeros_like(p) for p in params]
    built = rss_bytes()

    def forward(x):
        acts = [x]
        for k in range(0, len(params), 2):
            z = acts[-1] @ params[k].T
            z += params[k + 1]
            if k < len(params) - 2:
                np.maximum(z, 0, out=z)
            acts.append(z)
        return acts

    times = []
    n = len(Xtr)
    for _ in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(n)
        for i in range(0, n, BATCH):
            idx = order[i:i + BATCH]
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
        times.append(time.perf_counter() - start)
    pred = np.concatenate([forward(Xte[i:i + 1000])[-1].argmax(1)
                           for i in range(0, len(Xte), 1000)])
    return built, times, accuracy(pred, yte)


def run_sklearn(data, epochs: int, seed: int):
    import warnings

    from sklearn.neural_network import MLPClassifier

    Xtr, ytr, Xte, yte = data
    clf = MLPClassifier(hidden_layer_sizes=SIZES[1:-1], solver="sgd", learning_rate_init=LR,
                        momentum=MOMENTUM, nesterovs_momentum=False, batch_size=BATCH,
                        alpha=0.0, shuffle=True, random_state=seed)
    built = rss_bytes()
    times = []
    classes = np.arange(10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(epochs):
            start = time.perf_counter()
            clf.partial_fit(Xtr, ytr, classes=classes)  # one epoch of mini-batches
            times.append(time.perf_counter() - start)
    return built, times, accuracy(clf.predict(Xte), yte)


def worker(name: str, args: argparse.Namespace) -> dict:
    data = load_data(Path(args.data))
    baseline = rss_bytes()
    can_reset = reset_peak()
    if name in ("mlplab", "mlplab-loop"):
        built, times, acc = run_mlplab(data, args.epochs, args.seed, manual=name != "mlplab")
    elif name == "torch":
        built, times, acc = run_torch(data, args.epochs, args.seed, args.threads)
    elif name == "numpy":
        built, times, acc = run_numpy(data, args.epochs, args.seed)
    else:
        built, times, acc = run_sklearn(data, args.epochs, args.seed)
    peak = peak_bytes() if can_reset else max(peak_bytes(), baseline)
    return {"name": name, "times": times, "accuracy": acc, "peak": peak - baseline,
            "setup": built - baseline, "train_peak": peak - built, "exact_peak": can_reset,
            "samples": len(data[0])}


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
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args)))
        return
    if args.quick:
        args.epochs, args.repeats, args.latency_rounds = 1, 1, 10
    threads = blas_threads()
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
