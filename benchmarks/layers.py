"""Forward + backward time of a 784-512-256-10 MLP, mlplab vs PyTorch, in one process.

One training step without the optimizer: zero the gradients, forward a batch of 128,
softmax cross-entropy, backward. Variants: every activation in the hidden layers,
and Linear → BatchNorm1d → ReLU, Linear → LayerNorm → ReLU blocks. float32.

PyTorch is given as many intra-op threads as NumPy's BLAS uses (threadpoolctl), so
both sides have the same cores; ``--threads N`` sets both to N. The two sides are
timed alternately, step by step, and the median step time is reported, which keeps
background load from favouring either. Run:
    python benchmarks/layers.py [--steps 60] [--batch 128] [--threads N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch
from _common import blas_threads
from threadpoolctl import threadpool_limits

import mlplab as ml
from mlplab import nn

SIZES = (784, 512, 256, 10)



def hidden_block(kind: str, fan_in: int, width: int, seed: int):
    """(mlplab layers, torch layers) for one hidden layer of the given kind."""
    if kind == "maxout(k=2)":
        return ([nn.Maxout(fan_in, width, 2, seed=seed)], None)
    act = {"sigmoid": (nn.Sigmoid, torch.nn.Sigmoid), "tanh": (nn.Tanh, torch.nn.Tanh),
           "relu": (nn.ReLU, torch.nn.ReLU), "leaky_relu": (nn.LeakyReLU, torch.nn.LeakyReLU),
           "prelu": (nn.PReLU, torch.nn.PReLU), "rrelu": (nn.RReLU, torch.nn.RReLU),
           "elu": (nn.ELU, torch.nn.ELU), "batchnorm+relu": (nn.ReLU, torch.nn.ReLU),
           "layernorm+relu": (nn.ReLU, torch.nn.ReLU), "dropout+relu": (nn.ReLU, torch.nn.ReLU)}
    ml_act, t_act = act[kind]
    ml_layers = [nn.Linear(fan_in, width, seed=seed)]
    t_layers = [torch.nn.Linear(fan_in, width)]
    if kind == "batchnorm+relu":
        ml_layers.append(nn.BatchNorm1d(width))
        t_layers.append(torch.nn.BatchNorm1d(width))
    if kind == "layernorm+relu":
        ml_layers.append(nn.LayerNorm(width))
        t_layers.append(torch.nn.LayerNorm(width))
    ml_layers.append(ml_act() if kind != "rrelu" else nn.RReLU(seed=seed))
    t_layers.append(t_act())
    if kind == "dropout+relu":
        ml_layers.append(nn.Dropout(0.2, seed=seed))
        t_layers.append(torch.nn.Dropout(0.2))
    return ml_layers, t_layers


class TorchMaxout(torch.nn.Module):
    def __init__(self, fan_in: int, width: int, pieces: int) -> None:
        super().__init__()
        self.linear = torch.nn.Linear(fan_in, width * pieces)
        self.width, self.pieces = width, pieces

    def forward(self, x):
        return self.linear(x).view(x.shape[0], self.width, self.pieces).amax(dim=-1)


def build(kind: str):
    ml_layers, t_layers = [], []
    for i, (fan_in, width) in enumerate(zip(SIZES[:-2], SIZES[1:-1], strict=True)):
        m, t = hidden_block(kind, fan_in, width, seed=i)
        ml_layers += m
        t_layers += t if t is not None else [TorchMaxout(fan_in, width, 2)]
    ml_layers.append(nn.Linear(SIZES[-2], SIZES[-1], seed=9))
    t_layers.append(torch.nn.Linear(SIZES[-2], SIZES[-1]))
    return nn.Sequential(*ml_layers), torch.nn.Sequential(*t_layers)


def step_ml(model, loss_fn, x, y) -> None:
    model.zero_grad()
    loss_fn(model(x), y).backward()


def step_torch(model, loss_fn, x, y) -> None:
    model.zero_grad(set_to_none=True)
    loss_fn(model(x), y).backward()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS threads for NumPy and intra-op threads for PyTorch")
    args = parser.parse_args()
    if args.threads is not None:
        _limiter = threadpool_limits(args.threads)  # noqa: F841 - held for the whole run
    threads = blas_threads()
    torch.set_num_threads(threads)
    rng = np.random.default_rng(0)
    x_np = rng.random((args.batch, SIZES[0]), dtype=np.float32)
    y_np = rng.integers(0, SIZES[-1], size=args.batch)
    x_ml, x_t = ml.tensor(x_np), torch.from_numpy(x_np)
    y_t = torch.from_numpy(y_np)
    kinds = ["sigmoid", "tanh", "relu", "leaky_relu", "prelu", "rrelu", "elu", "maxout(k=2)",
             "dropout+relu", "batchnorm+relu", "layernorm+relu"]
    print(f"784-512-256-10, batch {args.batch}, float32, forward+backward (zero_grad, CE loss); "
          f"NumPy BLAS threads = torch threads = {threads}; median of {args.steps} steps")
    print(f"{'hidden layers':<18}{'mlplab ms':>11}{'torch ms':>10}{'ratio':>8}")
    for kind in kinds:
        ml_model, t_model = build(kind)
        ml_loss, t_loss = nn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
        ml_times, t_times = [], []
        for i in range(args.steps + 5):
            t0 = time.perf_counter()
            step_ml(ml_model, ml_loss, x_ml, y_np)
            t1 = time.perf_counter()
            step_torch(t_model, t_loss, x_t, y_t)
            t2 = time.perf_counter()
            if i >= 5:  # warm-up steps excluded
                ml_times.append(t1 - t0)
                t_times.append(t2 - t1)
        a, b = statistics.median(ml_times) * 1e3, statistics.median(t_times) * 1e3
        print(f"{kind:<18}{a:>11.2f}{b:>10.2f}{a / b:>8.2f}")
    print("ratio = mlplab time / PyTorch time (< 1: mlplab faster)")


if __name__ == "__main__":
    main()
