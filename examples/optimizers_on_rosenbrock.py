"""Race every optimizer down the Rosenbrock valley, f(a, b) = (1 − a)² + 100 (b − a²)².

The minimum is f = 0 at (1, 1), at the end of a long, curved, nearly flat valley:
plain gradient descent zig-zags across it (the notes' picture for momentum and
RMSprop), adaptive methods follow it. Gradients come from mlplab's autograd.

    python examples/optimizers_on_rosenbrock.py            # a table
    python examples/optimizers_on_rosenbrock.py --plot rosenbrock.png
"""

from __future__ import annotations

import argparse

import numpy as np

import mlplab as ml
import mlplab.optim as mo
from mlplab.optim import schedules

START = (-1.2, 1.0)

RACERS = {
    "SGD": lambda p: mo.SGD(p, lr=1e-3),
    "SGD + momentum": lambda p: mo.SGD(p, lr=1e-3, momentum=0.9),
    "SGD + Nesterov": lambda p: mo.SGD(p, lr=1e-3, momentum=0.9, nesterov=True),
    "Adagrad": lambda p: mo.Adagrad(p, lr=1.0),
    "RMSprop": lambda p: mo.RMSprop(p, lr=1e-3),
    "RMSprop + momentum": lambda p: mo.RMSprop(p, lr=1e-3, momentum=0.9),
    "Adadelta + cosine": lambda p: mo.Adadelta(p, lr=schedules.CosineDecay(1.0, 2000), rho=0.95),
    "Adam": lambda p: mo.Adam(p, lr=0.05),
    "Adam (AMSGrad)": lambda p: mo.Adam(p, lr=0.05, amsgrad=True),
}


def rosenbrock(x: ml.Tensor) -> ml.Tensor:
    a, b = x[0], x[1]
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2


def race(make, steps: int) -> np.ndarray:
    """Run one optimizer; return the path of points, shape (steps + 1, 2)."""
    x = ml.nn.Parameter(np.array(START, dtype=np.float64))
    opt = make([x])
    path = [x.data.copy()]
    for _ in range(steps):
        opt.zero_grad()
        rosenbrock(x).backward()
        opt.step()
        path.append(x.data.copy())
    return np.array(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--plot", help="save a contour plot with every path to this file")
    args = parser.parse_args()

    paths = {}
    print(f"{'optimizer':<22}{'f after':>12}{'a':>10}{'b':>10}   (start {START}, "
          f"{args.steps} steps)")
    for name, make in RACERS.items():
        paths[name] = path = race(make, args.steps)
        a, b = path[-1]
        f = (1 - a) ** 2 + 100 * (b - a * a) ** 2
        print(f"{name:<22}{f:>12.2e}{a:>10.4f}{b:>10.4f}")

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        A, B = np.meshgrid(np.linspace(-2, 2, 400), np.linspace(-1, 3, 400))
        F = (1 - A) ** 2 + 100 * (B - A * A) ** 2
        fig, ax = plt.subplots(figsize=(8, 7))
        ax.contour(A, B, np.log10(F + 1e-3), levels=30, cmap="Greys", linewidths=0.6)
        for name, path in paths.items():
            ax.plot(path[:, 0], path[:, 1], label=name, linewidth=1.2)
        ax.plot(1, 1, "k*", markersize=12)
        ax.set(xlabel="a", ylabel="b", title="Rosenbrock: paths from (−1.2, 1)")
        ax.legend(fontsize=8)
        fig.savefig(args.plot, dpi=120)
        print(f"saved {args.plot}")


if __name__ == "__main__":
    main()
