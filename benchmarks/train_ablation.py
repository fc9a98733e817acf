"""What each fast path of the training step is worth: the step with one more of them at a time.

    python benchmarks/train_ablation.py [--rounds 7] [--turn 50] [--threads N]

The workload is ``train_mnist.py``'s (784-512-256-10 ReLU, SGD lr 0.01 momentum 0.9,
batch 128, float32, all of MNIST). Every side is a ``Trainer.fit`` of its own model
(same seed, same batches), in one process, taking turns of ``--turn`` steps with the
order rotating each round, as ``train_mnist.py --alternate`` does; the hand-written
NumPy loop runs beside them as the yardstick. The sides, each adding one thing:

1. ``as the graph``: the training plan (graph-free forward and backward) doing what
   the graph does: every Z, A and dA a new array, the optimizer's step after the whole
   backward pass;
2. ``in place``: ReLU/tanh/σ computed over the Linear's own Z, their VJP over dA
   (``training_plan._InPlaceActivation``);
3. ``kept arrays``: Z, dA and the activations' temporaries written into arrays kept
   between steps (``training_plan._Buffers``) instead of fresh ones;
4. ``layerwise``: each parameter updated as soon as the backward pass has its gradient
   (``optim.layerwise``), the gradient formed by NumPy into a kept array;
5. ``+ BLAS fold``: SGD's velocity takes dW = dZᵀ A_prev in one GEMM (β = μ) and the
   weight moves by one AXPY (``mlplab.blas``) — what ``Trainer`` does by default.

It prints each round's epoch times, then for each side the median over rounds of its
speed relative to side 1 and to the hand-written loop (> 1: faster).
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from _common import alternate_rounds, blas_threads, epoch_timer, limit_blas_threads
from train_mnist import BATCH, LR, MOMENTUM, default_data_dir, load_data, numpy_side

import mlplab as ml
import mlplab.optim.layerwise as layerwise_module
import mlplab.train.training_plan as plan_module

SIDES = {  # name → (in place, keep arrays, layerwise step, BLAS fold)
    "as the graph": (False, False, False, False),
    "in place": (True, False, False, False),
    "kept arrays": (True, True, False, False),
    "layerwise": (True, True, True, False),
    "+ BLAS fold": (True, True, True, True),
}
BASE = "as the graph"


def trainer_side(data, seed: int, in_place: bool, keep: bool, layerwise: bool, fold: bool):
    """One epoch's turn of ``Trainer.fit`` with the fast paths switched as asked."""
    Xtr, ytr = data[:2]
    model = ml.nn.Sequential(ml.nn.Linear(784, 512), ml.nn.ReLU(), ml.nn.Linear(512, 256),
                             ml.nn.ReLU(), ml.nn.Linear(256, 10))
    opt = ml.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    times: list[float] = []

    trainer = ml.train.Trainer(model, ml.nn.CrossEntropyLoss(), opt, callbacks=[epoch_timer(times)],
                               seed=seed, verbose=0)
    trainer.layerwise_update = layerwise
    found = layerwise_module.blas

    def train(lo: int, hi: int) -> float:
        keep_from, plan_module.KEEP_FROM = plan_module.KEEP_FROM, (4096 if keep else 1 << 62)
        fusable = plan_module._IN_PLACE  # read when the side's plan is built (its first turn)
        plan_module._IN_PLACE = fusable if in_place else frozenset()
        layerwise_module.blas = found if fold else (lambda: None)
        try:
            trainer.fit(Xtr[lo:hi], ytr[lo:hi], epochs=trainer.epochs_done + 1,
                        batch_size=BATCH)
        finally:
            plan_module.KEEP_FROM, layerwise_module.blas = keep_from, found
            plan_module._IN_PLACE = fusable
        return times[-1]

    return train


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(default_data_dir()))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--turn", type=int, default=50, help="steps per turn (0: an epoch)")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    _limit = limit_blas_threads(args.threads) if args.threads else None  # held until exit
    data = load_data(Path(args.data))
    sides = {name: trainer_side(data, args.seed, *flags) for name, flags in SIDES.items()}
    sides["hand-written NumPy"] = numpy_side(data, args.seed)[0]
    names, n = list(sides), len(data[0])
    rows = args.turn * BATCH if args.turn else n
    turns = [(lo, min(lo + rows, n)) for lo in range(0, n, rows)]
    print(f"784-512-256-10 ReLU, SGD lr={LR} momentum={MOMENTUM}, batch {BATCH}, float32; "
          f"{blas_threads()} BLAS threads; {args.rounds} rounds of one epoch per side in turns "
          f"of {args.turn or 'all'} steps; load average {os.getloadavg()[0]:.2f}\n")
    print("round  " + "  ".join(f"{k:>18}" for k in names) + "   (seconds per epoch)")
    def show_round(r, times, order):
        print(f"{r + 1:>5}  " + "  ".join(f"{times[k][-1]:18.3f}" for k in names), flush=True)

    times = alternate_rounds(sides, turns, args.rounds, show_round)
    base, hand = times[BASE], times["hand-written NumPy"]
    print(f"\n{'':20} {'median s':>9} {'vs ' + BASE:>16} {'vs hand loop':>13}  (speed)")
    for name in names:
        t = times[name]
        vs_base = statistics.median(b / x for b, x in zip(base, t, strict=True))
        vs_hand = statistics.median(h / x for h, x in zip(hand, t, strict=True))
        print(f"{name:20} {statistics.median(t):9.3f} {vs_base:15.3f}x {vs_hand:12.3f}x")
    print(f"load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
