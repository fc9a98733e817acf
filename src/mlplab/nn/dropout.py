"""Noise layers for regularization: ``Dropout`` and ``GaussianNoise`` (training only)."""

from __future__ import annotations

from typing import Any

from mlplab import checks
from mlplab.autograd.tensor import Tensor
from mlplab.checks import SeedLike
from mlplab.nn import functional as F
from mlplab.nn.module import StochasticModule


class Dropout(StochasticModule):
    """Inverted dropout (Srivastava et al., 2014), scaled at training time.

    Training, with keep_prob = 1 − p:
        d = [u < keep_prob], u ~ U[0, 1) per element;   a = a ⊙ d / keep_prob.
    Dividing by keep_prob keeps E[a] unchanged, so evaluation is the identity (call
    ``model.eval()``). Each unit learns not to rely on any one input: an effect
    similar to L2 shrinkage. Gradient checking needs dropout off (eval mode).

    Args:
        p: probability of zeroing each element, in [0, 1) (default 0.5).
        seed: int, Generator or None; ``model.set_rng(seed)`` reseeds it.

    Shape: any → same.

    >>> import mlplab as ml
    >>> out = ml.nn.Dropout(0.5, seed=0)(ml.tensor([[1.0] * 8]))
    >>> sorted(set(out.tolist()[0]))   # dropped, or kept and scaled by 1/keep_prob
    [0.0, 2.0]
    """

    def __init__(self, p: float = 0.5, seed: SeedLike = None) -> None:
        super().__init__(seed)
        self.p = checks.check_fraction(p, "p", "Dropout")

    def forward(self, input: Any) -> Tensor:
        return F.dropout(input, self.p, training=self.training, rng=self._rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class GaussianNoise(StochasticModule):
    """Additive Gaussian noise (Keras ``GaussianNoise``): a + ε, ε ~ N(0, std²), in training.

    Noise injection as a regularizer (noise injection, 噪声添加); the identity in evaluation.

    Args:
        std: standard deviation of the noise (≥ 0).
        seed: int, Generator or None; ``model.set_rng(seed)`` reseeds it.

    Shape: any → same.

    >>> import mlplab as ml
    >>> layer = ml.nn.GaussianNoise(0.1, seed=0)
    >>> layer.eval()(ml.tensor([1.0, 2.0])).tolist()   # off in evaluation
    [1.0, 2.0]
    """

    def __init__(self, std: float, seed: SeedLike = None) -> None:
        super().__init__(seed)
        self.std = checks.check_number(std, "std", "GaussianNoise", low=0.0)

    def forward(self, input: Any) -> Tensor:
        return F.gaussian_noise(input, self.std, training=self.training, rng=self._rng)

    def extra_repr(self) -> str:
        return f"std={self.std}"
