"""Small synthetic classification sets for teaching and tests.

Every function returns ``(X, y)`` with ``X`` float32 of shape (n, 2) (``gaussians``
may use more features) and ``y`` int64 class ids, shuffled, and draws all its
randomness from ``seed`` (an int, a ``numpy.random.Generator`` or None), so the
same seed gives the same points.

The logic gates are the classic first examples: one perceptron computes AND and
OR (a straight line separates the classes), XOR needs a hidden layer because no
line does (Minsky and Papert, *Perceptrons*, 1969).

>>> X, y = xor()
>>> X.tolist(), y.tolist()
([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
"""

from __future__ import annotations

import numbers

import numpy as np

from mlplab.checks import (
    NON_NEGATIVE,
    Interval,
    SeedLike,
    as_generator,
    check,
    check_positive_int,
)

__all__ = ["xor", "or_gate", "and_gate", "circles", "moons", "spirals", "gaussians"]

_CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_RADIUS_RATIO = Interval(0.0, 1.0, "neither", example="0.5")  # inner radius / outer radius
_AT_LEAST_TWO = Interval(2, None, integer=True, example="3")  # spiral arms (classes)


def _check_noise(noise: float, owner: str, name: str = "noise") -> float:
    """A standard deviation σ >= 0 of the added Gaussian noise."""
    return float(check(owner, name, noise, NON_NEGATIVE))


def _finish(
    X: np.ndarray, y: np.ndarray, rng: np.random.Generator, *, shuffle: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle rows together and set the dtypes every set returns."""
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    return X.astype(np.float32), y.astype(np.int64)


def _gate(
    owner: str, truth: tuple[int, int, int, int], n: int | None, noise: float | None,
    seed: SeedLike,
) -> tuple[np.ndarray, np.ndarray]:
    """Points at the corners of the unit square, labelled by a 2-input truth table.

    n=None gives the four table rows in order (x1, x2) = 00, 01, 10, 11, with no
    noise unless asked for. n > 0 gives n points cycling through the corners
    (so the corners are equally represented), each plus N(0, noise²) jitter
    (noise defaults to 0.1), shuffled.
    """
    rng = as_generator(seed, owner=owner)
    labels = np.asarray(truth, dtype=np.int64)
    if n is None:
        sd = 0.0 if noise is None else _check_noise(noise, owner)
        X = _CORNERS + (rng.normal(0.0, sd, _CORNERS.shape) if sd > 0 else 0.0)
        return _finish(X, labels.copy(), rng, shuffle=False)
    n = check_positive_int(n, "n", owner)
    sd = 0.1 if noise is None else _check_noise(noise, owner)
    corner = np.arange(n) % 4
    X = _CORNERS[corner] + rng.normal(0.0, sd, (n, 2))
    return _finish(X, labels[corner], rng)


def xor(
    n: int | None = None, noise: float | None = None, seed: SeedLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """XOR: y = x1 ⊕ x2, the classic set no single-layer perceptron can fit.

    Args:
        n: None for the 4 truth-table rows (00→0, 01→1, 10→1, 11→0); an int for
            n noisy samples around the corners.
        noise: standard deviation of the Gaussian jitter; default 0 for the
            table, 0.1 for samples.
        seed: int, Generator or None.

    Shape: X (n, 2) float32, y (n,) int64.
    """
    return _gate("xor", (0, 1, 1, 0), n, noise, seed)


def or_gate(
    n: int | None = None, noise: float | None = None, seed: SeedLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """OR: y = x1 ∨ x2 (linearly separable). Same arguments as :func:`xor`."""
    return _gate("or_gate", (0, 1, 1, 1), n, noise, seed)


def and_gate(
    n: int | None = None, noise: float | None = None, seed: SeedLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """AND: y = x1 ∧ x2 (linearly separable). Same arguments as :func:`xor`."""
    return _gate("and_gate", (0, 0, 0, 1), n, noise, seed)


def circles(
    n: int = 200, noise: float = 0.05, factor: float = 0.5, seed: SeedLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles: class 0 on radius 1, class 1 on radius ``factor``.

    Points are evenly spaced in angle, then jittered by N(0, noise²) per
    coordinate (same construction as scikit-learn's ``make_circles``).

    Shape: X (n, 2) float32, y (n,) int64 with n//2 points in class 0.
    """
    rng = as_generator(seed, owner="circles")
    n = check_positive_int(n, "n", "circles")
    noise = _check_noise(noise, "circles")
    factor = float(check("circles", "factor", factor, _RADIUS_RATIO))
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0.0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0.0, 2 * np.pi, n_in, endpoint=False)
    X = np.concatenate(
        [np.c_[np.cos(t_out), np.sin(t_out)], factor * np.c_[np.cos(t_in), np.sin(t_in)]]
    )
    y = np.r_[np.zeros(n_out), np.ones(n_in)]
    X = X + rng.normal(0.0, noise, X.shape)
    return _finish(X, y, rng)


def moons(n: int = 200, noise: float = 0.1, seed: SeedLike = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's ``make_moons`` construction).

    Class 0: (cos t, sin t); class 1: (1 − cos t, 0.5 − sin t), t ∈ [0, π],
    each coordinate plus N(0, noise²).

    Shape: X (n, 2) float32, y (n,) int64 with n//2 points in class 0.
    """
    rng = as_generator(seed, owner="moons")
    n = check_positive_int(n, "n", "moons")
    noise = _check_noise(noise, "moons")
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0.0, np.pi, n_out)
    t_in = np.linspace(0.0, np.pi, n_in)
    X = np.concatenate(
        [np.c_[np.cos(t_out), np.sin(t_out)], np.c_[1 - np.cos(t_in), 0.5 - np.sin(t_in)]]
    )
    y = np.r_[np.zeros(n_out), np.ones(n_in)]
    X = X + rng.normal(0.0, noise, X.shape)
    return _finish(X, y, rng)


def spirals(
    n: int = 300, classes: int = 3, noise: float = 0.2, turns: float = 0.75, seed: SeedLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class (the CS231n "spiral" set).

    Arm k has points at radius r ∈ [0, 1] and angle
    θ = 2π·turns·r + 2πk/classes + N(0, noise²), i.e. X = r·(sin θ, cos θ).
    Noise is added to the angle, so the arms blur without leaving the unit disc.

    Shape: X (n, 2) float32, y (n,) int64; the n points are shared as evenly
    as possible between the classes.
    """
    rng = as_generator(seed, owner="spirals")
    n = check_positive_int(n, "n", "spirals")
    classes = int(check("spirals", "classes", classes, _AT_LEAST_TWO))
    noise = _check_noise(noise, "spirals")
    counts = np.full(classes, n // classes)
    counts[: n % classes] += 1
    y = np.repeat(np.arange(classes), counts)
    # radius 0..1 along each arm; linspace per arm keeps every arm the same length
    r = np.concatenate([np.linspace(0.0, 1.0, c) for c in counts])
    theta = 2 * np.pi * (turns * r + y / classes) + rng.normal(0.0, noise, n)
    X = r[:, None] * np.c_[np.sin(theta), np.cos(theta)]
    return _finish(X, y, rng)


def gaussians(
    n: int = 300,
    centers: int | np.ndarray = 3,
    std: float = 1.0,
    n_features: int = 2,
    box: tuple[float, float] = (-5.0, 5.0),
    seed: SeedLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Isotropic Gaussian blobs: class k is drawn from N(μ_k, std²·I).

    Args:
        n: total number of points, shared as evenly as possible between classes.
        centers: the number of classes (centres drawn uniformly in ``box``), or
            an array (k, d) of centres.
        std: standard deviation of each blob.
        n_features: d when ``centers`` is an int.
        box: (low, high) range of random centres.

    Shape: X (n, d) float32, y (n,) int64.
    """
    rng = as_generator(seed, owner="gaussians")
    n = check_positive_int(n, "n", "gaussians")
    std = _check_noise(std, "gaussians", "std")
    if isinstance(centers, numbers.Integral):
        k = check_positive_int(centers, "centers", "gaussians")
        d = check_positive_int(n_features, "n_features", "gaussians")
        mu = rng.uniform(box[0], box[1], (k, d))
    else:
        mu = np.asarray(centers, dtype=np.float64)
        if mu.ndim != 2 or len(mu) == 0:
            raise ValueError(
                f"centers: expected an int or an array of shape (k, d), got shape {mu.shape}"
            )
        k = len(mu)
    counts = np.full(k, n // k)
    counts[: n % k] += 1
    y = np.repeat(np.arange(k), counts)
    X = mu[y] + rng.normal(0.0, std, (n, mu.shape[1]))
    return _finish(X, y, rng)
