"""Inference latency: the MNIST 784-512-256-10 model in onnxruntime vs mlplab's ``predict``.

The model is trained for one epoch on 10,000 MNIST images, exported with
``ml.export.to_onnx``, and both sides predict class ids (argmax of the logits) for
batches of 1, 8 and 256 test images. Timing alternates the two sides call by call
(rounds × calls), so background load hits both alike, and reports the median time
per call. onnxruntime gets as many intra-op threads as NumPy's BLAS uses
(``--threads N`` sets both). Run:
    python benchmarks/onnx_export.py [--rounds 200] [--threads N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
from _common import blas_threads, dataset_dir
from threadpoolctl import threadpool_limits

import mlplab as ml
from mlplab import nn

BATCHES = (1, 8, 256)


def trained_model(X: np.ndarray, y: np.ndarray) -> ml.train.Trainer:
    model = nn.Sequential(nn.Linear(784, 512, seed=0), nn.ReLU(), nn.Linear(512, 256, seed=1),
                          nn.ReLU(), nn.Linear(256, 10, seed=2))
    trainer = ml.train.Trainer(model, nn.CrossEntropyLoss(), ml.optim.Adam(
        model.parameters(), lr=1e-3), seed=0, verbose=0)
    trainer.fit(X, y, epochs=1, batch_size=128)
    return trainer


def median_ms(calls: dict[str, callable], rounds: int) -> dict[str, float]:
    """Median milliseconds per call of each function, the functions taking turns."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    return {name: 1e3 * statistics.median(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    threads = args.threads or blas_threads()
    (X, y), (X_test, y_test) = ml.data.load_mnist(dataset_dir("mnist"))
    with threadpool_limits(threads):
        trainer = trained_model(X[:10000], y[:10000])
        path = ml.export.to_onnx(trainer, Path(tempfile.mkdtemp()) / "mnist.onnx")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        same = (session.run(None, {"input": X_test})[0].argmax(1) == trainer.predict(X_test))
        print(f"784-512-256-10, test accuracy {(trainer.predict(X_test) == y_test).mean():.4f}; "
              f"onnxruntime {ort.__version__} agrees on {same.mean():.2%} of the test set; "
              f"{threads} thread(s), median of {args.rounds} interleaved calls")
        print(f"{'batch':>6} {'mlplab predict':>15} {'onnxruntime':>12} {'ratio':>7}")
        for batch in BATCHES:
            rows = X_test[:batch]
            ms = median_ms({"mlplab": lambda rows=rows: trainer.predict(rows),
                            "onnx": lambda rows=rows: session.run(
                                None, {"input": rows})[0].argmax(1)}, args.rounds)
            print(f"{batch:>6} {ms['mlplab']:>12.3f} ms {ms['onnx']:>9.3f} ms "
                  f"{ms['mlplab'] / ms['onnx']:>6.1f}x")


if __name__ == "__main__":
    main()
