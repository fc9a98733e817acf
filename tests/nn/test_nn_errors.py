"""Bad input gets one clear error naming the argument, what was expected and what came."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab as ml
from mlplab import nn

F = nn.functional


def test_linear_width_mismatch_names_the_layer_and_both_widths() -> None:
    with pytest.raises(ValueError, match=r"Linear\(in_features=3, out_features=4, bias=True\) "
                                         r"got input of width 5"):
        nn.Linear(3, 4)(np.ones((2, 5)))
    with pytest.raises(ml.autograd.ShapeError, match="width 2"):
        nn.Maxout(3, 2, 2)(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"expected input of shape \(N, 3\)"):
        F.linear(np.ones((2, 5)), np.ones((4, 3)))


def test_cross_entropy_float_class_targets() -> None:
    with pytest.raises(TypeError, match="class targets must be integers.*float64.*astype"):
        nn.CrossEntropyLoss()(np.zeros((3, 4)), np.array([0.0, 1.0, 2.0]))


def test_cross_entropy_out_of_range_targets() -> None:
    with pytest.raises(ValueError, match=r"class index 4 is out of range for 4 classes.*\[0, 3\]"):
        nn.CrossEntropyLoss()(np.zeros((3, 4)), np.array([0, 4, 1]))
    with pytest.raises(ValueError, match="class index -1"):
        nn.NLLLoss()(np.zeros((3, 4)), np.array([0, -1, 1]))


def test_cross_entropy_target_length_differs_from_batch() -> None:
    with pytest.raises(ValueError, match=r"target has shape \(2,\) but the input has 3 rows"):
        nn.CrossEntropyLoss()(np.zeros((3, 4)), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"expected input of shape \(N, C\)"):
        nn.CrossEntropyLoss()(np.zeros(4), np.array([1]))
    with pytest.raises(ValueError, match=r"weight must have one entry per class"):
        nn.CrossEntropyLoss(weight=np.ones(3))(np.zeros((3, 4)), np.array([0, 1, 2]))


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5, float("nan")])
def test_dropout_p_outside_zero_one(p) -> None:
    with pytest.raises(ValueError, match=r"Dropout: p must be a finite number in \[0, 1\)"):
        nn.Dropout(p)
    with pytest.raises(ValueError, match=r"dropout: p must be a finite number in"):
        F.dropout(np.ones(3), p)


def test_batchnorm_training_with_batch_size_one() -> None:
    bn = nn.BatchNorm1d(4)
    with pytest.raises(ValueError, match="more than 1 value per feature.*model.eval"):
        bn(np.ones((1, 4)))
    assert bn.eval()(np.ones((1, 4))).shape == (1, 4)  # evaluation uses running statistics
    with pytest.raises(ValueError, match=r"got input of shape \(3, 5\); expected \(N, 4\)"):
        nn.BatchNorm1d(4)(np.ones((3, 5)))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        F.batch_norm(ml.tensor(np.ones((1, 4))), training=True)


def test_layernorm_shape_mismatch() -> None:
    with pytest.raises(ValueError, match=r"last 1 axes must be \(4,\)"):
        nn.LayerNorm(4)(np.ones((2, 5)))


def test_unknown_names_suggest_the_closest() -> None:
    with pytest.raises(ValueError,
                       match="unknown initializer 'he_norml'; did you mean 'he_normal'"):
        nn.Linear(2, 2, init="he_norml")
    with pytest.raises(ValueError, match="unknown activation 'rellu'; did you mean 'relu'"):
        nn.get_activation("rellu")
    with pytest.raises(ValueError, match="MSELoss: reduction must be one of 'mean', 'sum', "
                                         "'none', got 'meen'; did you mean 'mean'"):
        nn.MSELoss(reduction="meen")
    assert isinstance(nn.get_activation("LeakyReLU", negative_slope=0.3), nn.LeakyReLU)
    assert isinstance(nn.get_activation(nn.Tanh), nn.Tanh)


def test_loss_shape_mismatch_is_not_broadcast_silently() -> None:
    with pytest.raises(ValueError, match=r"input has shape \(4, 1\) but target has shape \(4,\)"):
        nn.MSELoss()(np.zeros((4, 1)), np.zeros(4))
    with pytest.raises(ValueError, match="input has shape"):
        nn.BCEWithLogitsLoss()(np.zeros((4, 1)), np.zeros(4))


def test_bce_needs_probabilities() -> None:
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*BCEWithLogitsLoss"):
        nn.BCELoss()(np.array([0.5, 1.2]), np.array([0.0, 1.0]))


def test_hinge_labels_must_be_binary() -> None:
    with pytest.raises(ValueError, match=r"all in \{-1, \+1\} or all in \{0, 1\}.*2"):
        nn.HingeLoss()(np.zeros(3), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="p must be 1 or 2"):
        nn.MultiMarginLoss(p=3)


def test_hyperparameter_ranges_and_types() -> None:
    with pytest.raises(ValueError, match="Linear: in_features must be an integer >= 1, got 0"):
        nn.Linear(0, 3)
    with pytest.raises(ValueError, match="out_features must be an integer >= 1, got 2.5"):
        nn.Linear(3, 2.5)
    with pytest.raises(ValueError, match=r"upper must be a finite number >= 0.3, got 0.1"):
        nn.RReLU(0.3, 0.1)
    with pytest.raises(ValueError, match=r"momentum must be a finite number in \[0, 1\], got 1.5"):
        nn.BatchNorm1d(3, momentum=1.5)
    with pytest.raises(ValueError, match="std must be a finite number >= 0, got -1.0"):
        nn.GaussianNoise(-1.0)
    with pytest.raises(ValueError,
                       match=r"label_smoothing must be a finite number in \[0, 1\], got 2.0"):
        nn.CrossEntropyLoss(label_smoothing=2.0)
    with pytest.raises(TypeError, match="Dropout: seed must be an integer >= 0 or a "
                       "numpy.random.Generator or None, got 'abc'"):
        nn.Dropout(0.5, seed="abc")
    with pytest.raises(ValueError, match=r"prelu: 3 slopes .* got shape \(2, 4\)"):
        nn.PReLU(3)(np.ones((2, 4)))


def test_sparse_input_cannot_require_grad() -> None:
    import scipy.sparse as sp

    x = ml.Tensor(sp.identity(3, format="csr"))
    x.requires_grad = True
    with pytest.raises(ValueError, match="sparse input cannot require grad"):
        F.linear(x, np.ones((2, 3)))


def test_a_layer_too_large_for_memory_is_refused_in_one_line():
    from mlplab.memory import TooLargeError

    with pytest.raises(TooLargeError, match=r"Linear\(2, 100000000000\) would need .* GiB"):
        ml.nn.Linear(2, 10**11)
