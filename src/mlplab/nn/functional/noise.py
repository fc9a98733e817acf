"""Noise layers used as regularizers: inverted dropout and additive Gaussian noise.

Both act only in training; in evaluation they are the identity. They are
compositions (x ⊙ mask, x + noise), so the gradient needs no rule of its own:
∂(x ⊙ d)/∂x = d, ∂(x + ε)/∂x = 1.
"""

from __future__ import annotations

from typing import Any

from mlplab import checks
from mlplab.autograd.tensor import Tensor, as_tensor
from mlplab.backend import xp


def _uniform(rng, shape, dtype):
    # Generator.random draws float32 directly (half the work of float64)
    return rng.random(shape, dtype=xp.float32 if dtype == xp.float32 else xp.float64)


def dropout(input: Any, p: float = 0.5, training: bool = True, rng: Any = None) -> Tensor:
    """Inverted dropout (keep_prob = 1 − p).

    Training:  d = [u < keep_prob] with u ~ U[0, 1) per element,  a = a ⊙ d / keep_prob,
    so E[a] is unchanged and evaluation needs no rescaling. Evaluation: a = a.

    Args:
        input: the activations a.
        p: probability of zeroing an element, in [0, 1).
        training: apply the noise (False: identity).
        rng: int, ``numpy.random.Generator`` or None (fresh entropy).
    """
    p = checks.check_fraction(p, "p", "dropout")
    x = as_tensor(input)
    if not training or p == 0.0:
        return x
    keep = 1.0 - p
    dtype = x.dtype if x.dtype.kind == "f" else xp.dtype(xp.float64)
    u = _uniform(checks.as_generator(rng, name="rng"), x.shape, dtype)
    mask = xp.where(u < keep, dtype.type(1.0 / keep), dtype.type(0.0))
    return x * Tensor(mask)


def gaussian_noise(input: Any, std: float, training: bool = True, rng: Any = None) -> Tensor:
    """Additive zero-mean Gaussian noise (Keras ``GaussianNoise``): a + ε, ε ~ N(0, std²).

    Applied only when ``training``; the identity otherwise.
    """
    std = checks.check_number(std, "std", "gaussian_noise", low=0.0)
    x = as_tensor(input)
    if not training or std == 0.0:
        return x
    dtype = x.dtype if x.dtype.kind == "f" else xp.dtype(xp.float64)
    gen = checks.as_generator(rng, name="rng")
    noise = gen.standard_normal(x.shape, dtype=xp.float32 if dtype == xp.float32 else xp.float64)
    if std != 1.0:
        noise *= dtype.type(std)
    return x + Tensor(noise.astype(dtype, copy=False))
