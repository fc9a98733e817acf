"""What the autograd graph costs: PyTorch vs mlplab vs hand-written NumPy, side by side.

    python benchmarks/autograd_overhead.py [--quick]

Measures, in one process and float32 throughout:

1. µs per small elementwise op (a * b on 32×8, graph recorded), and one op plus its
   backward pass;
2. steps/s of a 2-8-8-1 tanh network (batch 32, MSE, plain SGD);
3. ms for one forward + backward of a 784-512-256-10 ReLU network at batch 128
   (softmax cross-entropy; mlplab uses plain autograd ops: x @ W.T + b, relu,
   log_softmax, picking each row's target log-probability);
   2 and 3 also time the same network as an ``ml.nn.Sequential`` through its training
   plan (``mlplab.train.training_plan``: the graph-free step ``Trainer`` takes), and
   the tiny step once more with ``ml.optim.SGD`` doing the update (after the backward
   pass; layer by layer during it, as ``Trainer`` does for large layers; once over all
   parameters laid end to end, as ``Trainer`` does for a model of small ones), and as
   whole idiomatic steps: ``Trainer.train_step`` against a PyTorch ``nn.Sequential``
   with ``nn.MSELoss`` and ``torch.optim.SGD``;
4. the time of ``import mlplab`` in a fresh interpreter.

The implementations run round-robin and the best of several rounds is kept, so a
busy machine slows all three alike. On a shared machine, compare single cores by CPU
time instead of wall time:

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/autograd_overhead.py --cpu-time

Targets: the 784 step within 1.1× of hand-written NumPy; tiny-net steps/s at least 4×
PyTorch's (issue 18; issue 3 asked for 1×); ``import mlplab`` under 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np
import torch

import mlplab as ml
from mlplab.optim.flat_step import FlatStep
from mlplab.optim.layerwise import LayerwiseStep
from mlplab.train.training_plan import plan_for

F32 = np.float32
clock = time.perf_counter  # --cpu-time switches to time.process_time


def best_time(fns: dict[str, Callable[[], object]], number: int, rounds: int) -> dict[str, float]:
    """Seconds per call of each fn: best over ``rounds`` of ``number`` calls, run round-robin.

    Each turn starts with a few untimed calls. PyTorch's OpenMP threads and NumPy's
    OpenBLAS threads busy-wait for a while after their last operation; on a small
    machine the first calls of the next library would otherwise compete with the
    previous library's spinning threads. The order rotates every round, so no library
    always follows the same one.
    """
    names = list(fns)
    warm = max(2, number // 5)
    best = {name: float("inf") for name in fns}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            fn = fns[name]
            for _ in range(warm):
                fn()
            start = clock()
            for _ in range(number):
                fn()
            best[name] = min(best[name], (clock() - start) / number)
    return best


# ----- 1. one small op -------------------------------------------------------------------
def small_op(number: int, rounds: int) -> tuple[dict[str, float], dict[str, float]]:
    rng = np.random.default_rng(0)
    xa, xb = rng.standard_normal((2, 32, 8)).astype(F32)
    ma, mb = ml.tensor(xa, requires_grad=True), ml.tensor(xb)
    ta, tb = torch.tensor(xa, requires_grad=True), torch.tensor(xb)
    forward = best_time({"torch": lambda: ta * tb, "mlplab": lambda: ma * mb,
                         "numpy": lambda: xa * xb}, number, rounds)

    def ml_step():
        ma.grad = None
        (ma * mb).sum().backward()

    def torch_step():
        ta.grad = None
        (ta * tb).sum().backward()

    def np_step():
        _ = (xa * xb).sum()
        return np.ones_like(xa) * xb  # d/da Σ a·b = b

    both = best_time({"torch": torch_step, "mlplab": ml_step, "numpy": np_step},
                     number // 4, rounds)
    return forward, both


# ----- 2. tiny 2-8-8-1 tanh network ------------------------------------------------------
def _tiny_params(rng: np.random.Generator) -> list[np.ndarray]:
    shapes = [(8, 2), (8,), (8, 8), (8,), (1, 8), (1,)]
    return [(rng.standard_normal(s) * 0.5).astype(F32) for s in shapes]


def tiny_net(number: int, rounds: int) -> dict[str, float]:
    rng = np.random.default_rng(1)
    X = rng.standard_normal((32, 2)).astype(F32)
    y = np.sin(X[:, :1] * 2).astype(F32)
    lr = 0.05
    init = _tiny_params(rng)

    mp = [ml.tensor(p.copy(), requires_grad=True) for p in init]
    mX, my = ml.tensor(X), ml.tensor(y)

    def ml_step():
        W1, b1, W2, b2, W3, b3 = mp
        h1 = (mX @ W1.T + b1).tanh()
        h2 = (h1 @ W2.T + b2).tanh()
        loss = ((h2 @ W3.T + b3 - my) ** 2).mean()
        for p in mp:
            p.grad = None
        loss.backward()
        for p in mp:
            p.data -= lr * p.grad

    tp = [torch.tensor(p.copy(), requires_grad=True) for p in init]
    tX, ty = torch.tensor(X), torch.tensor(y)

    def torch_step():
        W1, b1, W2, b2, W3, b3 = tp
        h1 = torch.tanh(tX @ W1.T + b1)
        h2 = torch.tanh(h1 @ W2.T + b2)
        loss = ((h2 @ W3.T + b3 - ty) ** 2).mean()
        for p in tp:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in tp:
                p -= lr * p.grad

    def sequential() -> ml.nn.Sequential:  # the 2-8-8-1 net with the shared initial weights
        net = ml.nn.Sequential(ml.nn.Linear(2, 8), ml.nn.Tanh(), ml.nn.Linear(8, 8),
                               ml.nn.Tanh(), ml.nn.Linear(8, 1))
        for p, value in zip(net.parameters(), init, strict=True):
            p.data[...] = value
        return net

    model = sequential()
    params, mse = list(model.parameters()), ml.nn.MSELoss()
    sgd = ml.optim.SGD(params, lr=lr)

    def plan_fwd_bwd():
        plan = plan_for(model, mse)
        plan.forward(X)
        plan.loss(y)
        for p in params:
            p.grad = None
        plan.backward()

    def plan_step():  # the same update loop as the other two
        plan_fwd_bwd()
        for p in params:
            p.data -= lr * p.grad

    def plan_optim_step():  # the update by ml.optim.SGD, as Trainer.train_step does it
        plan_fwd_bwd()
        sgd.step(consume_grads=True)

    def during_backward(kind):  # a step with SGD applied by ``kind`` during the backward pass
        net = sequential()
        update = kind(ml.optim.SGD(list(net.parameters()), lr=lr))

        def step():
            plan = plan_for(net, mse)
            plan.forward(X)
            plan.loss(y)
            update.begin(plan.params)
            plan.backward(update)
            update.finish()
        return step

    # each layer updated as the backward pass reaches it (Trainer, for large layers), and
    # one update over all parameters laid end to end (Trainer, for a model of small ones)
    plan_layerwise_step, plan_flat_step = during_backward(LayerwiseStep), during_backward(FlatStep)

    t_model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8),
                                  torch.nn.Tanh(), torch.nn.Linear(8, 1))
    with torch.no_grad():
        for p, value in zip(t_model.parameters(), init, strict=True):
            p.copy_(torch.from_numpy(value))
    t_sgd, t_mse = torch.optim.SGD(t_model.parameters(), lr=lr), torch.nn.MSELoss()

    def torch_module_step():  # the loop a PyTorch user writes: Module, loss, torch.optim
        t_sgd.zero_grad()
        t_mse(t_model(tX), ty).backward()
        t_sgd.step()

    trained = sequential()
    trainer = ml.train.Trainer(trained, ml.nn.MSELoss(), ml.optim.SGD(trained.parameters(), lr=lr),
                               seed=None, verbose=0)

    def trainer_step():  # the whole Trainer.train_step: checks, plan, SGD on flat parameters
        trainer.train_step(X, y)

    npp = [p.copy() for p in init]

    def np_step():
        W1, b1, W2, b2, W3, b3 = npp
        h1 = np.tanh(X @ W1.T + b1)
        h2 = np.tanh(h1 @ W2.T + b2)
        out = h2 @ W3.T + b3
        dout = (2.0 / out.size) * (out - y)  # ∂/∂out of mean (out − y)²
        dW3, db3 = dout.T @ h2, dout.sum(0)
        dz2 = (dout @ W3) * (1 - h2 * h2)  # tanh′ = 1 − a²
        dW2, db2 = dz2.T @ h1, dz2.sum(0)
        dz1 = (dz2 @ W2) * (1 - h1 * h1)
        dW1, db1 = dz1.T @ X, dz1.sum(0)
        for p, g in zip(npp, (dW1, db1, dW2, db2, dW3, db3), strict=True):
            p -= lr * g

    return best_time({"torch": torch_step, "mlplab": ml_step, "numpy": np_step,
                      "plan": plan_step, "plan+optim": plan_optim_step,
                      "plan+layerwise": plan_layerwise_step, "plan+flat": plan_flat_step,
                      "torch module": torch_module_step,
                      "trainer": trainer_step}, number, rounds)


# ----- 3. 784-512-256-10 ReLU network, one forward + backward -----------------------------
def mnist_net(number: int, rounds: int) -> dict[str, float]:
    rng = np.random.default_rng(2)
    n = 128
    X = rng.random((n, 784)).astype(F32)
    labels = rng.integers(0, 10, n)
    sizes = [(512, 784), (256, 512), (10, 256)]
    init = []
    for out_f, in_f in sizes:  # He-normal weights, zero biases
        init += [(rng.standard_normal((out_f, in_f)) * np.sqrt(2 / in_f)).astype(F32),
                 np.zeros(out_f, F32)]
    rows = np.arange(n)

    mp = [ml.tensor(p.copy(), requires_grad=True) for p in init]
    mX = ml.tensor(X)

    def ml_step():
        W1, b1, W2, b2, W3, b3 = mp
        a1 = (mX @ W1.T + b1).relu()
        a2 = (a1 @ W2.T + b2).relu()
        logp = ml.log_softmax(a2 @ W3.T + b3, axis=-1)
        loss = -logp[rows, labels].mean()
        for p in mp:
            p.grad = None
        loss.backward()

    tp = [torch.tensor(p.copy(), requires_grad=True) for p in init]
    tX, trows, tlabels = torch.tensor(X), torch.tensor(rows), torch.tensor(labels)

    def torch_step():
        W1, b1, W2, b2, W3, b3 = tp
        a1 = torch.relu(tX @ W1.T + b1)
        a2 = torch.relu(a1 @ W2.T + b2)
        logp = torch.log_softmax(a2 @ W3.T + b3, dim=-1)
        loss = -logp[trows, tlabels].mean()
        for p in tp:
            p.grad = None
        loss.backward()

    model = ml.nn.Sequential(ml.nn.Linear(784, 512), ml.nn.ReLU(), ml.nn.Linear(512, 256),
                             ml.nn.ReLU(), ml.nn.Linear(256, 10))
    for p, value in zip(model.parameters(), init, strict=True):
        p.data[...] = value
    params, xent = list(model.parameters()), ml.nn.CrossEntropyLoss()

    def plan_step():
        plan = plan_for(model, xent)
        plan.forward(X)
        plan.loss(labels)
        for p in params:
            p.grad = None
        plan.backward()

    npp = [p.copy() for p in init]

    def np_step():
        W1, b1, W2, b2, W3, b3 = npp
        z1 = X @ W1.T + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2.T + b2
        a2 = np.maximum(z2, 0)
        z3 = a2 @ W3.T + b3
        e = np.exp(z3 - z3.max(1, keepdims=True))
        p = e / e.sum(1, keepdims=True)
        dz3 = p
        dz3[rows, labels] -= 1
        dz3 /= n  # ∂L/∂z = (softmax − onehot) / N
        dW3, db3 = dz3.T @ a2, dz3.sum(0)
        dz2 = (dz3 @ W3) * (z2 > 0)
        dW2, db2 = dz2.T @ a1, dz2.sum(0)
        dz1 = (dz2 @ W2) * (z1 > 0)
        dW1, db1 = dz1.T @ X, dz1.sum(0)
        return dW1, db1, dW2, db2, dW3, db3

    return best_time({"torch": torch_step, "mlplab": ml_step, "numpy": np_step,
                      "plan": plan_step}, number, rounds)


def import_time(runs: int = 5) -> tuple[float, float]:
    """Median seconds of ``import mlplab`` and of ``import numpy`` in fresh interpreters.

    A first, untimed import runs with bytecode writing allowed, so the timed ones find
    compiled ``.pyc`` files as any user's second import does. (Where
    PYTHONDONTWRITEBYTECODE is set, every import would otherwise recompile all of
    mlplab's source and measure the compiler, not the import: about 0.15 s more.)
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", "import mlplab"], env=env, check=True)

    def measure(module: str) -> float:
        code = (f"import time; t = time.perf_counter(); import {module}; "
                "print(time.perf_counter() - t)")
        return statistics.median(
            float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(runs))
    return measure("mlplab"), measure("numpy")


def _row(label: str, unit: str, t: dict[str, float], scale: float, per_second: bool = False):
    if per_second:
        vals = {k: 1.0 / v for k, v in t.items()}
        ratio_t, ratio_n = vals["mlplab"] / vals["torch"], vals["mlplab"] / vals["numpy"]
        fmt = "{:>12,.0f}"
    else:
        vals = {k: v * scale for k, v in t.items()}
        ratio_t, ratio_n = t["mlplab"] / t["torch"], t["mlplab"] / t["numpy"]
        fmt = "{:>12.2f}"
    cells = "".join(fmt.format(vals[k]) for k in ("torch", "mlplab", "numpy"))
    print(f"{label:<40}{unit:>8}{cells}{ratio_t:>12.2f}×{ratio_n:>11.2f}×")


def _as_mlplab(times: dict[str, float], key: str, torch_key: str = "torch") -> dict[str, float]:
    """The timings with ``key`` (a variant of mlplab's step) in mlplab's column, and
    ``torch_key`` (a variant of PyTorch's) in PyTorch's."""
    return {"torch": times[torch_key], "mlplab": times[key], "numpy": times["numpy"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time with process CPU time (use with one thread per library)")
    args = parser.parse_args()
    global clock
    if args.cpu_time:
        clock = time.process_time
    k = 0.2 if args.quick else 1.0
    rounds = 3 if args.quick else 7

    print(f"numpy {np.__version__}, torch {torch.__version__} ({torch.get_num_threads()} "
          f"threads), mlplab {ml.__version__}; float32; best of {rounds} rounds of "
          f"{'CPU' if args.cpu_time else 'wall'} time")
    print(f"{'':<40}{'unit':>8}{'torch':>12}{'mlplab':>12}{'numpy':>12}"
          f"{'ml/torch':>13}{'ml/numpy':>12}")
    fwd, both = small_op(int(20000 * k), rounds)
    _row("a * b (32×8), graph recorded", "µs", fwd, 1e6)
    _row("(a * b).sum().backward()", "µs", both, 1e6)
    tiny = tiny_net(int(2000 * k), rounds)
    _row("2-8-8-1 tanh net, batch 32, SGD step", "steps/s", tiny, 1, per_second=True)
    _row("  the same, Sequential + training plan", "steps/s", _as_mlplab(tiny, "plan"), 1,
         per_second=True)
    _row("  plan + ml.optim.SGD after backward", "steps/s", _as_mlplab(tiny, "plan+optim"),
         1, per_second=True)
    _row("  plan + SGD layer by layer", "steps/s",
         _as_mlplab(tiny, "plan+layerwise"), 1, per_second=True)
    _row("  plan + SGD on flat parameters", "steps/s",
         _as_mlplab(tiny, "plan+flat"), 1, per_second=True)
    _row("  Trainer step vs torch Module + optim", "steps/s",
         _as_mlplab(tiny, "trainer", "torch module"), 1, per_second=True)
    mnist = mnist_net(max(3, int(30 * k)), rounds)
    _row("784-512-256-10 ReLU, batch 128, fwd+bwd", "ms", mnist, 1e3)
    _row("  the same, Sequential + training plan", "ms", _as_mlplab(mnist, "plan"), 1e3)
    print("(steps/s: higher is better, the ratio is mlplab's speed over the peer's; "
          "µs and ms: lower is better, the ratio is mlplab's time over the peer's)")
    t_ml, t_np = import_time()
    print(f"import mlplab: {t_ml * 1e3:.0f} ms (of which import numpy alone: {t_np * 1e3:.0f} ms)")


if __name__ == "__main__":
    main()
