"""Activation layers a = g(z), with g and g′ written out.

Without a nonlinearity between them, stacked linear layers collapse into one
(W₂(W₁x + b₁) + b₂ = W′x + b′), so every hidden layer needs a g.

``get_activation('relu')`` turns a name into a layer once, when a model is built.
"""

from __future__ import annotations

from typing import Any

from mlplab import checks
from mlplab.autograd.tensor import Tensor
from mlplab.backend import DTypeLike, get_default_dtype, resolve_dtype, xp
from mlplab.checks import SeedLike
from mlplab.nn import functional as F
from mlplab.nn.linear import Identity
from mlplab.nn.module import Module, StochasticModule
from mlplab.nn.parameter import Parameter


class Sigmoid(Module):
    """σ(z) = 1/(1 + e⁻ᶻ) ∈ (0, 1);  σ′(z) = σ(z)(1 − σ(z)) = a(1 − a).

    σ′ peaks at 1/4 (z = 0) and is ~0 once |z| > 5: in this saturated region the
    gradient vanishes, and a deep stack multiplies many factors ≤ 1/4, so early layers
    barely learn. Its output is not zero-centred. Use it for a binary output (a
    probability), paired with BCELoss — or better, logits with BCEWithLogitsLoss.

    Shape: any → same.

    >>> import mlplab as ml
    >>> ml.nn.Sigmoid()(ml.tensor([-10.0, 0.0, 10.0], dtype="float64")).data.round(5).tolist()
    [5e-05, 0.5, 0.99995]
    """

    def forward(self, input: Any) -> Tensor:
        return F.sigmoid(input)


class Tanh(Module):
    """tanh(z) = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ) ∈ (−1, 1);  tanh′(z) = 1 − a².

    A shifted, stretched sigmoid (tanh(z) = 2σ(2z) − 1): zero-centred with a peak
    slope of 1, but it saturates like the sigmoid (tanh′ ≈ 0 once |z| > 3).

    Shape: any → same.

    >>> import mlplab as ml
    >>> z = ml.tensor([0.0, 3.0], dtype="float64", requires_grad=True)
    >>> ml.nn.Tanh()(z).sum().backward()
    >>> z.grad.round(3).tolist()   # 1 − tanh²: 1 at 0, nearly 0 at 3
    [1.0, 0.01]
    """

    def forward(self, input: Any) -> Tensor:
        return F.tanh(input)


class ReLU(Module):
    """ReLU(z) = max(0, z);  ReLU′(z) = 1 if z > 0 else 0 (0 at z = 0, as PyTorch).

    No saturation for z > 0 and the cheapest g to compute, so deep nets train fast.
    But a unit whose z stays negative for every input gets zero gradient and never
    recovers: a "dead ReLU" (bad luck at initialization, or too large a learning rate).

    Shape: any → same.

    >>> import mlplab as ml
    >>> ml.nn.ReLU()(ml.tensor([-2.0, 0.0, 3.0])).tolist()
    [0.0, 0.0, 3.0]
    """

    def forward(self, input: Any) -> Tensor:
        return F.relu(input)


class LeakyReLU(Module):
    """LeakyReLU(z) = z if z > 0 else λz;  derivative 1 or λ (Maas et al., 2013).

    The small slope λ = ``negative_slope`` (0.01) keeps a gradient for z < 0, so units
    cannot die.

    Shape: any → same.

    >>> import mlplab as ml
    >>> ml.nn.LeakyReLU(0.1)(ml.tensor([-2.0, 3.0], dtype="float64")).tolist()
    [-0.2, 3.0]
    """

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = checks.check_number(negative_slope, "negative_slope", "LeakyReLU")

    def forward(self, input: Any) -> Tensor:
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class PReLU(Module):
    """PReLU(z) = z if z > 0 else a z, with the slope a learned (He et al., 2015).

    ∂a/∂z = 1 or a; ∂L/∂a = Σ g·z over the positions where z ≤ 0. The paper starts a
    at 0.25 (``init``). ``num_parameters`` = 1 shares one slope; = C learns one per
    channel (axis 1 of the input). The parameter is named ``weight``, as in PyTorch.

    Shape: (N, C, …) → same.

    >>> import mlplab as ml
    >>> ml.nn.PReLU()(ml.tensor([[-2.0, 3.0]])).tolist()
    [[-0.5, 3.0]]
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25,
                 dtype: DTypeLike | None = None) -> None:
        super().__init__()
        self.num_parameters = checks.check_positive_int(num_parameters, "num_parameters", "PReLU")
        self.init = checks.check_number(init, "init", "PReLU")
        dtype = get_default_dtype() if dtype is None else resolve_dtype(dtype)
        self.weight = Parameter(xp.full(self.num_parameters, self.init, dtype=dtype))

    def forward(self, input: Any) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class RReLU(StochasticModule):
    """Randomized leaky ReLU (Xu et al., 2015), PyTorch semantics.

    Training: a = z if z ≥ 0 else r z, with a fresh r ~ U[lower, upper] per element
    (the randomness acts as a regularizer). Evaluation: the fixed slope (lower + upper)/2.

    Args:
        lower: lowest slope r (default 1/8).
        upper: highest slope r (default 1/3).
        seed: int, Generator or None; ``model.set_rng(seed)`` reseeds it.

    Shape: any → same.

    >>> import mlplab as ml
    >>> layer = ml.nn.RReLU(0.1, 0.3, seed=0)
    >>> slope = float(layer(ml.tensor([-1.0])).data[0]) / -1.0
    >>> 0.1 <= slope <= 0.3, layer.eval()(ml.tensor([-1.0], dtype="float64")).tolist()
    (True, [-0.2])
    """

    def __init__(self, lower: float = 1 / 8, upper: float = 1 / 3, seed: SeedLike = None) -> None:
        super().__init__(seed)
        self.lower = checks.check_number(lower, "lower", "RReLU", low=0.0)
        self.upper = checks.check_number(upper, "upper", "RReLU", low=self.lower)

    def forward(self, input: Any) -> Tensor:
        return F.rrelu(input, self.lower, self.upper, training=self.training, rng=self._rng)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}"


class ELU(Module):
    """ELU(z) = z if z > 0 else α(eᶻ − 1);  ELU′(z) = 1 if z > 0 else αeᶻ = a + α.

    Clevert et al. (2016): linear for z > 0 (no vanishing gradient), a soft saturation
    at −α for z < 0 that makes it robust to noise, and mean activations near zero.

    Shape: any → same.

    >>> import mlplab as ml
    >>> ml.nn.ELU()(ml.tensor([-30.0, 2.0])).data.round(4).tolist()
    [-1.0, 2.0]
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = checks.check_number(alpha, "alpha", "ELU")

    def forward(self, input: Any) -> Tensor:
        return F.elu(input, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class Softmax(Module):
    """softmax(z)_i = e^(z_i) / Σ_j e^(z_j) along ``dim``: a vector of class probabilities.

    Unlike the others it maps a vector to a vector; ∂a_i/∂z_j = a_i([i = j] − a_j).
    For training, feed the logits z to CrossEntropyLoss instead (it fuses softmax and
    the log, and its gradient is simply A − Y). ``F.hardmax`` is its 0/1 counterpart.

    Shape: any → same.

    >>> import mlplab as ml
    >>> ml.nn.Softmax()(ml.tensor([[0.0, 0.0, 0.0]], dtype="float64")).data.round(4).tolist()
    [[0.3333, 0.3333, 0.3333]]
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = int(dim)

    def forward(self, input: Any) -> Tensor:
        return F.softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


ACTIVATIONS: dict[str, type[Module]] = {
    "identity": Identity,
    "linear": Identity,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "prelu": PReLU,
    "rrelu": RReLU,
    "elu": ELU,
    "softmax": Softmax,
}
"""Activation layers by name, for ``get_activation`` and configuration files."""

_ALIASES = {name.replace("_", ""): name for name in ACTIVATIONS}


def get_activation(activation: str | Module | type[Module], **kwargs: Any) -> Module:
    """An activation layer from a name ('relu', 'LeakyReLU', 'leaky_relu'), a Module class
    or instance. Keyword arguments go to the constructor (``negative_slope=0.1``).

    >>> get_activation("leaky_relu", negative_slope=0.2)
    LeakyReLU(negative_slope=0.2)
    """
    if isinstance(activation, Module):
        return activation
    if isinstance(activation, type) and issubclass(activation, Module):
        return activation(**kwargs)
    if not isinstance(activation, str):
        raise checks.ParameterError(f"get_activation: activation must be a name such as 'relu' "
                                    f"or a Module, got {type(activation).__name__}")
    key = _ALIASES.get(activation.lower().replace("_", "").replace("-", ""))
    if key is None:
        raise checks.unknown("get_activation", "activation", activation, ACTIVATIONS)
    return ACTIVATIONS[key](**kwargs)
