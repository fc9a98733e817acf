"""``ml.nn.functional`` (import as F): the stateless form of every layer and loss.

Modules hold parameters and settings; these functions do the computation, so
``Linear.forward(x)`` is ``F.linear(x, self.weight, self.bias)``. Names and
argument orders follow ``torch.nn.functional``.
"""

# Each primitive's gradcheck inputs sit in a *_cases module beside it; importing them
# registers the inputs with mlplab.autograd.gradcheck_cases (for `mlplab gradcheck`).
from mlplab.nn.functional import (  # noqa: F401 (imported to register)
    activation_cases,
    cross_entropy_cases,
    linear_cases,
    normalization_cases,
)
from mlplab.nn.functional.activation import (
    elu,
    hardmax,
    leaky_relu,
    log_softmax,
    prelu,
    relu,
    rrelu,
    sigmoid,
    softmax,
    tanh,
)
from mlplab.nn.functional.cross_entropy import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    nll_loss,
)
from mlplab.nn.functional.linear import linear, maxout
from mlplab.nn.functional.loss import (
    hinge_loss,
    huber_loss,
    l1_loss,
    mse_loss,
    multi_margin_loss,
)
from mlplab.nn.functional.noise import dropout, gaussian_noise
from mlplab.nn.functional.normalization import batch_norm, layer_norm
from mlplab.nn.penalties import l1_penalty, l2_penalty

__all__ = [
    "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy",
    "dropout", "elu", "gaussian_noise", "hardmax", "hinge_loss", "huber_loss", "l1_loss",
    "l1_penalty", "l2_penalty", "layer_norm", "leaky_relu", "linear", "log_softmax", "maxout",
    "mse_loss", "multi_margin_loss", "nll_loss", "prelu", "relu", "rrelu", "sigmoid", "softmax",
    "tanh",
]
