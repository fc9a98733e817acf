"""The playground's 2-D datasets, seeded by the data seed.

TensorFlow Playground's six generators are reproduced with its numbers (500 points for
classification, 1,200 for regression; ``noise`` is the slider value / 100):

* circle: positives at radius r ~ U(0, 2.5), negatives at r ~ U(3.5, 5); the label is
  re-derived (inside radius 2.5 or not) after moving the point by U(−5, 5)·noise;
* xor: x, y ~ U(−5, 5) pushed 0.3 away from the axes; label sign(x·y) of the noisy point;
* gauss: two Gaussians at (2, 2) and (−2, −2) whose variance grows from 0.5 to 4 as the
  noise goes from 0 to 50 %;
* spiral: two arms r = 5i/n, θ = 1.75·2π·i/n (+π for the second), plus U(−1, 1)·noise;
* plane: target (x + y)/10 of the noisy point, clipped to [−1, 1];
* multigauss: six bumps of sign ±1; the target is the bump with the largest |value|,
  value = sign · max(0, 1 − d/2) at distance d from its centre.

Then the points are shuffled once and the first ``percTrainData`` % are the training set.
mlplab adds moons, checkerboard, K-class blobs and spirals, the boundaries y = f(x)
(sin, cubic, abs) and the 4-point AND / OR / XOR gates. Labels are class indices
0 … K−1 (TF's −1 is class 0, +1 is class 1); regression targets lie in [−1, 1].
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import numpy as np

from mlplab.playground.config import REGRESSION_SETS, PlaygroundConfig

DOMAIN = 6.0
"""The square [−6, 6]² the playground shows."""


@dataclass
class PlaygroundData:
    """Training and test points: x of shape (n, 2), labels (n,) int or targets (n,) float."""

    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray

    def as_lists(self) -> dict[str, list[list[float]]]:
        def rows(x: np.ndarray, y: np.ndarray) -> list[list[float]]:
            return [[round(float(a), 4), round(float(b), 4), _plain(t)] for (a, b), t in
                    zip(x, y, strict=True)]
        return {"train": rows(self.train_x, self.train_y),
                "test": rows(self.test_x, self.test_y)}


def _plain(value: float | int) -> float | int:
    return int(value) if isinstance(value, np.integer) else round(float(value), 4)


def _u(rng: np.random.Generator, low: float, high: float, n: int) -> np.ndarray:
    return rng.uniform(low, high, n)


def circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    half = n // 2
    parts = []
    for low, high in ((0.0, 2.5), (3.5, 5.0)):
        r, angle = _u(rng, low, high, half), _u(rng, 0, 2 * np.pi, half)
        x, y = r * np.sin(angle), r * np.cos(angle)
        nx, ny = _u(rng, -5, 5, half) * noise, _u(rng, -5, 5, half) * noise
        label = (np.hypot(x + nx, y + ny) < 2.5).astype(np.int64)
        parts.append((np.column_stack([x, y]), label))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x, y = _u(rng, -5, 5, n), _u(rng, -5, 5, n)
    x, y = x + np.where(x > 0, 0.3, -0.3), y + np.where(y > 0, 0.3, -0.3)
    nx, ny = _u(rng, -5, 5, n) * noise, _u(rng, -5, 5, n) * noise
    return np.column_stack([x, y]), ((x + nx) * (y + ny) >= 0).astype(np.int64)


def gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    variance = 0.5 + (4 - 0.5) * noise / 0.5
    half = n // 2
    pos = rng.normal(2, np.sqrt(variance), (half, 2))
    neg = rng.normal(-2, np.sqrt(variance), (half, 2))
    return np.vstack([pos, neg]), np.repeat(np.array([1, 0]), half)


def spiral(n: int, noise: float, rng: np.random.Generator, k: int = 2
           ) -> tuple[np.ndarray, np.ndarray]:
    """k arms (TF's is k = 2); arm c is turned by 2π·c/k."""
    per = n // k
    xs, labels = [], []
    for c in range(k):
        i = np.arange(per)
        r = i / per * 5
        t = 1.75 * i / per * 2 * np.pi + 2 * np.pi * c / k
        x = r * np.sin(t) + _u(rng, -1, 1, per) * noise
        y = r * np.cos(t) + _u(rng, -1, 1, per) * noise
        xs.append(np.column_stack([x, y]))
        labels.append(np.full(per, (1 - c) if k == 2 else c))  # TF's first arm is +1
    return np.vstack(xs), np.concatenate(labels).astype(np.int64)


def plane(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x, y = _u(rng, -6, 6, n), _u(rng, -6, 6, n)
    nx, ny = _u(rng, -6, 6, n) * noise, _u(rng, -6, 6, n) * noise
    return np.column_stack([x, y]), np.clip((x + nx + y + ny) / 10, -1, 1)


_BUMPS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def multigauss(n: int, noise: float, rng: np.random.Generator
               ) -> tuple[np.ndarray, np.ndarray]:
    x, y = _u(rng, -6, 6, n), _u(rng, -6, 6, n)
    px, py = x + _u(rng, -6, 6, n) * noise, y + _u(rng, -6, 6, n) * noise
    values = np.stack([s * np.clip(1 - np.hypot(px - cx, py - cy) / 2, 0, 1)
                       for cx, cy, s in _BUMPS])
    best = np.argmax(np.abs(values), axis=0)
    return np.column_stack([x, y]), values[best, np.arange(n)]


def moons(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    half = n // 2
    t = _u(rng, 0, np.pi, half)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    points = (np.vstack([upper, lower]) - [0.5, 0.25]) * 3.0
    points += rng.normal(0, 1, points.shape) * noise * 2
    return points, np.repeat(np.array([1, 0]), half)


def _boundary(f, n: int, noise: float, rng: np.random.Generator
              ) -> tuple[np.ndarray, np.ndarray]:
    x, y = _u(rng, -5, 5, n), _u(rng, -5, 5, n)
    nx, ny = _u(rng, -5, 5, n) * noise, _u(rng, -5, 5, n) * noise
    return np.column_stack([x, y]), (y + ny > f(x + nx)).astype(np.int64)


def checkerboard(n: int, noise: float, rng: np.random.Generator
                 ) -> tuple[np.ndarray, np.ndarray]:
    x, y = _u(rng, -5, 5, n), _u(rng, -5, 5, n)
    nx, ny = _u(rng, -5, 5, n) * noise, _u(rng, -5, 5, n) * noise
    cells = np.floor((x + nx) / 2.5) + np.floor((y + ny) / 2.5)
    return np.column_stack([x, y]), (cells % 2 == 0).astype(np.int64)


def blobs(n: int, noise: float, rng: np.random.Generator, k: int
          ) -> tuple[np.ndarray, np.ndarray]:
    labels = np.arange(n) % k
    angles = 2 * np.pi * labels / k + np.pi / 2
    centres = 3.5 * np.column_stack([np.cos(angles), np.sin(angles)])
    return centres + rng.normal(0, 0.6 + 3 * noise, (n, 2)), labels.astype(np.int64)


_GATES = {"and": (0, 0, 0, 1), "or": (0, 1, 1, 1), "xor_gate": (0, 1, 1, 0)}


def gate(name: str, n: int, noise: float, rng: np.random.Generator
         ) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (0,0), (0,1), (1,0), (1,1) drawn at (±3, ±3); repeated (and jittered
    by U(−5, 5)·noise) when more than 4 points are asked for."""
    corners = np.array([[-3.0, -3.0], [-3.0, 3.0], [3.0, -3.0], [3.0, 3.0]])
    index = np.arange(max(n, 4)) % 4
    points = corners[index] + _u(rng, -5, 5, (len(index), 2)) * noise
    return points, np.array(_GATES[name], dtype=np.int64)[index]


_FUNCTIONS = {"sin": lambda x: 3 * np.sin(x), "cubic": lambda x: 1.5 * ((x / 3) ** 3 - x / 3),
              "abs": lambda x: np.abs(x) - 2.5}


def default_count(config: PlaygroundConfig) -> int:
    if config.num_samples:
        return config.num_samples
    if config.problem == "regression":
        return 1200
    return 4 if config.dataset in _GATES else 500


def generate_points(config: PlaygroundConfig, rng: np.random.Generator, n: int,
                    noise: float) -> tuple[np.ndarray, np.ndarray]:
    """All points of the configured dataset, before the shuffle."""
    if config.problem == "regression":
        return {"plane": plane, "multigauss": multigauss}[config.reg_dataset](n, noise, rng)
    name = config.dataset
    if name in _GATES:
        return gate(name, n, noise, rng)
    if name in _FUNCTIONS:
        return _boundary(_FUNCTIONS[name], n, noise, rng)
    if name == "blobs":
        return blobs(n, noise, rng, config.classes)
    if name == "spirals":
        return spiral(n, noise, rng, config.classes)
    makers = {"circle": circle, "xor": xor, "gauss": gauss, "spiral": spiral,
              "moons": moons, "checkerboard": checkerboard}
    return makers[name](n, noise, rng)


def make_data(config: PlaygroundConfig) -> PlaygroundData:
    """The dataset for ``config``: generated from ``config.seed``, shuffled once, split."""
    rng = np.random.default_rng(config.seed)
    x, y = generate_points(config, rng, default_count(config), config.noise / 100)
    order = rng.permutation(len(x))
    x, y = x[order], y[order]
    if config.problem == "classification" and config.dataset in _GATES and len(x) == 4:
        return PlaygroundData(x, y, x.copy(), y.copy())  # 4 points: test on the same 4
    split = int(len(x) * config.perc_train_data / 100)
    return PlaygroundData(x[:split], y[:split], x[split:], y[split:])


def thumbnail(config: PlaygroundConfig, size: int = 16) -> str:
    """A size × size uint8 map of the dataset (200 noiseless points), base64.

    Classification: 0 = no point in the cell, else 1 + the majority class.
    Regression: 0 = empty, else 1 + round((mean target + 1)/2 · 254).
    """
    x, y = generate_points(config, np.random.default_rng(0), 200 if config.problem ==
                           "classification" else 400, 0.0)
    cells = np.clip(((x + DOMAIN) / (2 * DOMAIN) * size).astype(int), 0, size - 1)
    index = (size - 1 - cells[:, 1]) * size + cells[:, 0]  # row 0 at the top (y = 6)
    image = np.zeros(size * size, dtype=np.uint8)
    if config.problem == "regression":
        total = np.bincount(index, weights=y, minlength=size * size)
        count = np.bincount(index, minlength=size * size)
        seen = count > 0
        image[seen] = 1 + np.round((total[seen] / count[seen] + 1) / 2 * 254).astype(np.uint8)
    else:
        k = config.n_classes()
        votes = np.zeros((size * size, k))
        np.add.at(votes, (index, y), 1)
        seen = votes.sum(axis=1) > 0
        image[seen] = 1 + np.argmax(votes[seen], axis=1)
    return base64.b64encode(image.tobytes()).decode()


def dataset_catalog() -> dict[str, dict]:
    """``/api/schema``'s ``datasets``: problem, classes and thumbnail of each dataset."""
    from mlplab.playground.config import CLASSIFICATION_SETS, make_config

    out = {}
    for name in CLASSIFICATION_SETS:
        config = make_config({"dataset": name})
        out[name] = {"problem": "classification", "classes": config.n_classes(),
                     "thumb": thumbnail(config)}
    for name in REGRESSION_SETS:
        config = make_config({"problem": "regression", "reg_dataset": name})
        out[name] = {"problem": "regression", "classes": 1, "thumb": thumbnail(config)}
    return out
