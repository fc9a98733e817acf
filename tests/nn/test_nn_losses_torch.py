"""Every loss against PyTorch in float64 (or a PyTorch expression where PyTorch has no
twin): value and gradients for reductions 'mean', 'sum' and 'none'.

A row of CASES: (id, mlplab loss factory, torch function of (input, target),
data maker rng -> (input, target), whether the target is float and differentiable).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import torch
from scipy.special import expit

import mlplab as ml
from mlplab import nn
from tests.nn.parity import close

TF = torch.nn.functional


def regression(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    return rng.standard_normal((5, 3)) * 2, rng.standard_normal((5, 3)) * 2


def probabilities(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    return rng.uniform(0.02, 0.98, (6, 2)), rng.uniform(0, 1, (6, 2))


def logits_binary(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    z = rng.standard_normal((6, 3)) * 3
    z[0, 0], z[1, 1] = 200.0, -200.0  # far in the tails: must stay finite
    return z, rng.integers(0, 2, (6, 3)).astype(np.float64)


def classes(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    return rng.standard_normal((7, 4)) * 2, rng.integers(0, 4, 7)


def soft_classes(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    p = rng.uniform(0, 1, (7, 4))
    return rng.standard_normal((7, 4)) * 2, p / p.sum(axis=1, keepdims=True)


def log_probs(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    z = rng.standard_normal((7, 4))
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True)), rng.integers(0, 4, 7)


def pm_one(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    return rng.standard_normal(8) * 2, rng.choice([-1.0, 1.0], 8)


def zero_one(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    return rng.standard_normal(8) * 2, rng.integers(0, 2, 8)


W4 = np.array([0.5, 2.0, 1.0, 0.25])
W3 = np.array([1.5, 0.5, 2.0])


def _reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    return {"mean": loss.mean, "sum": loss.sum, "none": lambda: loss}[reduction]()


def hinge_expression(s: torch.Tensor, y: torch.Tensor, reduction: str) -> torch.Tensor:
    signed = torch.where(y == 0, -1.0, y.double()) if bool(((y == 0) | (y == 1)).all()) else y
    return _reduce(torch.clamp(1 - signed * s, min=0), reduction)


@dataclass
class Case:
    id: str
    make: Any            # reduction -> mlplab loss
    torch_fn: Any        # (input, target, reduction) -> torch loss
    data: Any            # rng -> (input, target)
    target_grad: bool = False


CASES = [
    Case("L1", lambda r: nn.L1Loss(reduction=r), lambda x, t, r: TF.l1_loss(x, t, reduction=r),
         regression, target_grad=True),
    Case("MSE", lambda r: nn.MSELoss(reduction=r), lambda x, t, r: TF.mse_loss(x, t, reduction=r),
         regression, target_grad=True),
    Case("Huber", lambda r: nn.HuberLoss(reduction=r),
         lambda x, t, r: TF.huber_loss(x, t, reduction=r), regression, target_grad=True),
    Case("Huber-0.5", lambda r: nn.HuberLoss(reduction=r, delta=0.5),
         lambda x, t, r: TF.huber_loss(x, t, reduction=r, delta=0.5), regression,
         target_grad=True),
    Case("BCE", lambda r: nn.BCELoss(reduction=r),
         lambda x, t, r: TF.binary_cross_entropy(x, t, reduction=r), probabilities,
         target_grad=True),
    Case("BCE-weight", lambda r: nn.BCELoss(weight=np.array([0.3, 2.0]), reduction=r),
         lambda x, t, r: TF.binary_cross_entropy(x, t, weight=torch.tensor([0.3, 2.0],
                                                 dtype=torch.float64), reduction=r),
         probabilities),
    Case("BCEWithLogits", lambda r: nn.BCEWithLogitsLoss(reduction=r),
         lambda x, t, r: TF.binary_cross_entropy_with_logits(x, t, reduction=r), logits_binary,
         target_grad=True),
    Case("BCEWithLogits-pos-weight",
         lambda r: nn.BCEWithLogitsLoss(weight=W3, pos_weight=W3[::-1].copy(), reduction=r),
         lambda x, t, r: TF.binary_cross_entropy_with_logits(
             x, t, weight=torch.tensor(W3), pos_weight=torch.tensor(W3[::-1].copy()),
             reduction=r), logits_binary, target_grad=True),
    Case("CrossEntropy", lambda r: nn.CrossEntropyLoss(reduction=r),
         lambda x, t, r: TF.cross_entropy(x, t, reduction=r), classes),
    Case("CrossEntropy-weight", lambda r: nn.CrossEntropyLoss(weight=W4, reduction=r),
         lambda x, t, r: TF.cross_entropy(x, t, weight=torch.tensor(W4), reduction=r), classes),
    Case("CrossEntropy-smoothing", lambda r: nn.CrossEntropyLoss(reduction=r,
                                                                 label_smoothing=0.2),
         lambda x, t, r: TF.cross_entropy(x, t, reduction=r, label_smoothing=0.2), classes),
    Case("CrossEntropy-weight-smoothing",
         lambda r: nn.CrossEntropyLoss(weight=W4, reduction=r, label_smoothing=0.3),
         lambda x, t, r: TF.cross_entropy(x, t, weight=torch.tensor(W4), reduction=r,
                                          label_smoothing=0.3), classes),
    Case("CrossEntropy-probabilities", lambda r: nn.CrossEntropyLoss(reduction=r),
         lambda x, t, r: TF.cross_entropy(x, t, reduction=r), soft_classes, target_grad=True),
    Case("CrossEntropy-probabilities-weight-smoothing",
         lambda r: nn.CrossEntropyLoss(weight=W4, reduction=r, label_smoothing=0.1),
         lambda x, t, r: TF.cross_entropy(x, t, weight=torch.tensor(W4), reduction=r,
                                          label_smoothing=0.1), soft_classes, target_grad=True),
    Case("NLL", lambda r: nn.NLLLoss(reduction=r), lambda x, t, r: TF.nll_loss(x, t, reduction=r),
         log_probs),
    Case("NLL-weight", lambda r: nn.NLLLoss(weight=W4, reduction=r),
         lambda x, t, r: TF.nll_loss(x, t, weight=torch.tensor(W4), reduction=r), log_probs),
    Case("MultiMargin-as-torch", lambda r: nn.MultiMarginLoss(reduction=r,
                                                              average_over_classes=True),
         lambda x, t, r: TF.multi_margin_loss(x, t, reduction=r), classes),
    Case("MultiMargin-as-torch-p2-weight-margin",
         lambda r: nn.MultiMarginLoss(p=2, margin=0.7, weight=W4, reduction=r,
                                      average_over_classes=True),
         lambda x, t, r: TF.multi_margin_loss(x, t, p=2, margin=0.7, weight=torch.tensor(W4),
                                              reduction=r), classes),
    # The notes' multi-class hinge is PyTorch's times the number of classes C = 4
    Case("MultiMargin-notes", lambda r: nn.MultiMarginLoss(reduction=r),
         lambda x, t, r: 4 * TF.multi_margin_loss(x, t, reduction=r), classes),
    Case("Hinge-pm1", lambda r: nn.HingeLoss(reduction=r), hinge_expression, pm_one),
    Case("Hinge-01", lambda r: nn.HingeLoss(reduction=r), hinge_expression, zero_one),
]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_loss_matches_torch(case: Case, reduction: str) -> None:
    rng = np.random.default_rng(zlib.crc32(case.id.encode()))
    x, t = case.data(rng)
    x_ml = ml.tensor(x, requires_grad=True)
    t_ml = ml.tensor(t, requires_grad=case.target_grad) if case.target_grad else t
    loss = case.make(reduction)(x_ml, t_ml)
    x_t = torch.tensor(x, requires_grad=True)
    t_t = torch.tensor(t, requires_grad=case.target_grad)
    expected = case.torch_fn(x_t, t_t, reduction)
    where = f"{case.id} reduction={reduction}"
    close(loss.data, expected, f"value of {where}")
    cotangent = rng.standard_normal(loss.shape)
    loss.backward(cotangent)
    expected.backward(torch.tensor(cotangent))
    close(x_ml.grad, x_t.grad, f"input gradient of {where}")
    if case.target_grad:
        close(t_ml.grad, t_t.grad, f"target gradient of {where}")


def test_cross_entropy_gradient_is_the_notes_A_minus_Y() -> None:
    # dZ = (A − Y)/m for the mean over m examples (the notes' dZ = A − Y, 1/m in dW)
    rng = np.random.default_rng(0)
    z, t = classes(rng)
    x = ml.tensor(z, requires_grad=True)
    nn.CrossEntropyLoss()(x, t).backward()
    a = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    close(x.grad, (a - np.eye(4)[t]) / len(t), "dZ")


def test_bce_with_logits_gradient_is_sigmoid_minus_y_and_finite_in_the_tails() -> None:
    z = np.array([-800.0, -30.0, 0.0, 30.0, 800.0])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    x = ml.tensor(z, requires_grad=True)
    loss = nn.BCEWithLogitsLoss(reduction="sum")(x, y)
    loss.backward()
    expected = TF.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(y),
                                                   reduction="sum")
    close(loss.data, expected, "value")
    close(x.grad, expit(z) - y, "σ(z) − y")


def test_bce_at_exact_zero_and_one_is_clamped_like_torch() -> None:
    p = np.array([0.0, 1.0, 0.0, 1.0])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    x = ml.tensor(p, requires_grad=True)
    loss = nn.BCELoss(reduction="sum")(x, y)
    loss.backward()
    x_t = torch.tensor(p, requires_grad=True)
    expected = TF.binary_cross_entropy(x_t, torch.tensor(y), reduction="sum")
    expected.backward()
    close(loss.data, expected, "value")
    close(x.grad, x_t.grad, "gradient")
