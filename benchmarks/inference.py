"""Prediction latency for small batches: mlplab beside the bare NumPy floor, PyTorch and
onnxruntime.

The MNIST 784-512-256-10 ReLU network (float32, trained for one epoch on 10,000
images) predicts class ids for batches of 1, 8 and 256 test images:

* ``mlplab Trainer.predict``: the public call (input check, prepared inference plan,
  argmax);
* ``mlplab model(x)``: the plain module path the plan replaces (eval mode, ``no_grad``,
  a ``Tensor`` per layer), for comparison;
* ``NumPy floor``: the same three products, bias adds and ReLUs written by hand, then
  argmax: what any NumPy library's prediction costs at least;
* ``torch``: the same weights in ``torch.nn.Sequential`` under ``no_grad``, argmax;
* ``onnxruntime``: the ``ml.export.to_onnx`` file, argmax.

Every call is timed on its own, the contenders taking turns in blocks of ten calls,
so load drifts hit all alike and each finds its weights in the cache as a serving loop
would; the table gives medians in µs and each one's ratio to the NumPy
floor (the issue's target: Trainer.predict ≤ 1.15× the floor). PyTorch and onnxruntime
are skipped when not installed; all get the BLAS thread count NumPy uses.

    python benchmarks/inference.py [--rounds 300] [--threads N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import blas_threads, dataset_dir
from threadpoolctl import threadpool_limits

import mlplab as ml
from mlplab import nn

BATCHES = (1, 8, 256)


def trained(X: np.ndarray, y: np.ndarray) -> ml.train.Trainer:
    model = nn.Sequential(nn.Linear(784, 512, seed=0), nn.ReLU(), nn.Linear(512, 256, seed=1),
                          nn.ReLU(), nn.Linear(256, 10, seed=2))
    trainer = ml.train.Trainer(model, nn.CrossEntropyLoss(), ml.optim.Adam(
        model.parameters(), lr=1e-3), seed=0, verbose=0)
    trainer.fit(X, y, epochs=1, batch_size=128)
    return trainer


def contenders(trainer: ml.train.Trainer, threads: int) -> dict[str, callable]:
    """name → f(rows) returning class ids, all computing the same network."""
    model = trainer.model
    weights = [(m.weight.data, m.bias.data) for m in model if isinstance(m, nn.Linear)]

    def plain(rows):
        model.eval()
        with ml.no_grad():
            out = model(ml.Tensor(rows)).data
        return out.argmax(1)

    def numpy_floor(rows):
        a = rows
        for k, (w, b) in enumerate(weights):
            a = a @ w.T
            a += b
            if k < len(weights) - 1:
                np.maximum(a, 0, out=a)
        return a.argmax(1)

    calls = {"mlplab Trainer.predict": trainer.predict, "mlplab model(x)": plain,
             "NumPy floor": numpy_floor}
    try:
        import torch
    except ImportError:
        print("(PyTorch not installed: skipped)")
    else:
        torch.set_num_threads(threads)
        twin = ml.export.to_torch(model).eval()

        def torch_predict(rows):
            with torch.no_grad():
                return twin(torch.from_numpy(rows)).argmax(1).numpy()
        calls["torch"] = torch_predict
    try:
        import onnxruntime as ort
    except ImportError:
        print("(onnxruntime not installed: skipped)")
    else:
        path = ml.export.to_onnx(trainer, Path(tempfile.mkdtemp()) / "mnist.onnx",
                                 preprocessing=False)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        calls["onnxruntime"] = lambda rows: session.run(None, {"input": rows})[0].argmax(1)
    return calls


def median_us(calls: dict[str, callable], rows: np.ndarray, rounds: int,
              block: int = 10) -> dict[str, float]:
    """Median µs per call. The contenders take turns in blocks of ``block`` calls: each
    keeps its own copy of the weights, so a call right after another contender's finds
    its weights evicted from the cache; within a block they are warm, as in serving."""
    for call in calls.values():  # warm-up: first-call allocations, lazy imports
        for _ in range(20):
            call(rows)
    times: dict[str, list[float]] = {name: [] for name in calls}
    clock = time.perf_counter_ns
    for _ in range(max(1, rounds // block)):
        for name, call in calls.items():
            for _ in range(block):
                start = clock()
                call(rows)
                times[name].append((clock() - start) / 1e3)
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    threads = args.threads or blas_threads()
    (X, y), (X_test, _) = ml.data.load_mnist(dataset_dir("mnist"))
    with threadpool_limits(threads):
        trainer = trained(X[:10000], y[:10000])
        calls = contenders(trainer, threads)
        expected = calls["NumPy floor"](X_test[:256])
        for name, call in calls.items():  # all compute the same network
            agree = (call(X_test[:256]) == expected).mean()
            assert agree >= 0.99, f"{name} predicts other classes ({agree:.1%} agree)"
        print(f"784-512-256-10 ReLU, float32; {threads} thread(s); median of {args.rounds} "
              "calls in interleaved blocks, µs (ratio to the NumPy floor)")
        print(f"{'':24}" + "".join(f"{f'batch {b}':>20}" for b in BATCHES))
        table = {b: median_us(calls, X_test[:b], args.rounds) for b in BATCHES}
        for name in calls:
            cells = "".join(
                f"{table[b][name]:>11.1f} ({table[b][name] / table[b]['NumPy floor']:.2f}x)"
                for b in BATCHES)
            print(f"{name:24}{cells}")
        print("target: mlplab Trainer.predict <= 1.15x the NumPy floor")


if __name__ == "__main__":
    main()
