"""The fast path kept apart from the rule: ScratchSpace lends temporaries, param_groups
checks what an optimizer is given."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab.optim as mo
from mlplab.nn.parameter import Parameter
from mlplab.optim.param_groups import LEARNING_RATE, check_parameters
from mlplab.optim.scratch import ScratchSpace


def test_optimizer_borrows_its_temporaries_from_scratch_space():
    assert issubclass(mo.Optimizer, ScratchSpace)
    assert "scratch" not in vars(mo.Optimizer) and "scratch" in vars(ScratchSpace)


def test_scratch_reuses_one_buffer_per_dtype():
    space = ScratchSpace()
    big, small = np.zeros((4, 5)), np.zeros(3)
    a = space.scratch(big)
    b = space.scratch(small)
    assert a.shape == (4, 5) and b.shape == (3,)
    assert np.shares_memory(a, b)  # the same flat buffer, lent again
    c = space.scratch(np.zeros(3, dtype=np.float32))
    assert c.dtype == np.float32 and not np.shares_memory(a, c)


def test_the_gradient_is_lent_only_inside_lending_grads():
    space = ScratchSpace()
    like, g = np.zeros((2, 3)), np.ones((2, 3))
    assert space.scratch(like, spare=g) is not g
    with space.lending_grads(True):
        assert space.scratch(like, spare=g) is g
        assert space.scratch(like, spare=np.ones(6)) is not g  # wrong shape: not lent
    assert space.scratch(like, spare=g) is not g
    with pytest.raises(RuntimeError), space.lending_grads(True):
        raise RuntimeError
    assert space.scratch(like, spare=g) is not g  # reset even when the step raised


def test_check_parameters_and_learning_rate_are_public():
    p = Parameter(np.zeros(2))
    assert check_parameters("SGD", [p]) == [p]
    with pytest.raises(TypeError, match="SGD: params\\[0\\] must be a Parameter"):
        check_parameters("SGD", [np.zeros(2)])
    assert LEARNING_RATE.ok(0.1) and LEARNING_RATE.ok(lambda t: 0.1)
    assert not LEARNING_RATE.ok(-1.0) and not LEARNING_RATE.ok("0.1")
