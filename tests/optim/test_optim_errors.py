"""Bad input: one clear one-line error naming the argument and the valid range."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab as ml
import mlplab.optim as mo
from mlplab.nn.parameter import Parameter
from mlplab.nn.penalties import l2_penalty
from mlplab.nn.utils import clip_grad_norm_, max_norm_
from mlplab.optim import EWMA, schedules


def _p(*shape):
    return Parameter(np.zeros(shape or (2,)))


CONSTRUCTION = [
    (lambda: mo.SGD([_p()], lr=-0.1), ValueError, r"SGD: lr must be .*>= 0.*got -0\.1"),
    (lambda: mo.Adam([_p()], lr=float("nan")), ValueError, r"lr must be .*got nan"),
    (lambda: mo.SGD([_p()], lr="0.1"), ValueError, r"lr must be .*got '0\.1'"),
    (lambda: mo.Adam([_p()], betas=(1.0, 0.999)), ValueError, r"betas.*\[0, 1\)"),
    (lambda: mo.Adam([_p()], betas=(0.9, -0.1)), ValueError, r"betas"),
    (lambda: mo.Adam([_p()], betas=(0.9,)), ValueError, r"betas.*pair"),
    (lambda: mo.Adam([_p()], eps=0.0), ValueError, r"eps must be .*> 0, got 0\.0"),
    (lambda: mo.RMSprop([_p()], eps=-1e-8), ValueError, r"eps"),
    (lambda: mo.Adagrad([_p()], eps=0), ValueError, r"eps"),
    (lambda: mo.Adadelta([_p()], rho=1.5), ValueError, r"rho.*\[0, 1\]"),
    (lambda: mo.SGD([_p()], momentum=-0.5), ValueError, r"momentum must be .*got -0\.5"),
    (lambda: mo.SGD([_p()], nesterov=True), ValueError, r"nesterov=True needs momentum > 0"),
    (lambda: mo.SGD([_p()], momentum=0.9, dampening=0.1, nesterov=True), ValueError,
     r"dampening=0"),
    (lambda: mo.RMSprop([_p()], alpha=1.0), ValueError, r"alpha"),
    (lambda: mo.Adam([_p()], amsgrad="yes"), ValueError, r"amsgrad.*True or False"),
    (lambda: mo.SGD([], lr=0.1), ValueError, r"empty parameter list"),
    (lambda: mo.SGD(iter([]), lr=0.1), ValueError, r"empty parameter list"),
    (lambda: mo.SGD([np.zeros(3)], lr=0.1), TypeError, r"params\[0\] must be a Parameter.*ndarray"),
    (lambda: mo.SGD([ml.tensor([1.0])], lr=0.1), TypeError, r"requires_grad=False"),
    (lambda: mo.SGD([_p() * 2], lr=0.1), ValueError, r"not a leaf"),
    (lambda: mo.SGD([("w", _p())], lr=0.1), TypeError, r"named_parameters"),
    (lambda: mo.SGD({_p()}, lr=0.1), TypeError, r"set has no fixed order"),
    (lambda: mo.SGD(3, lr=0.1), TypeError, r"iterable of Parameters"),
    (lambda: mo.SGD([{"params": [_p()], "weight_decy": 0.1}]), ValueError,
     r"unknown option 'weight_decy'.*did you mean 'weight_decay'"),
    (lambda: mo.SGD([{"params": [_p()], "lr": -1.0}]), ValueError, r"lr must be .*got -1\.0"),
    (lambda: mo.get_optimizer("adma", [_p()]), ValueError,
     r"unknown optimizer 'adma'; did you mean 'adam'"),
    (lambda: schedules.InverseTimeDecay(0.1, decay_steps=0, decay_rate=0.5), ValueError,
     r"InverseTimeDecay: decay_steps must be .*> 0, got 0"),
    (lambda: schedules.ExponentialDecay(-0.1, 10, 0.5), ValueError, r"initial_learning_rate"),
    (lambda: schedules.StepDecay(0.1, step_size=2.5), ValueError, r"step_size.*integer"),
    (lambda: schedules.PiecewiseConstantDecay([10, 5], [1.0, 0.5, 0.1]), ValueError,
     r"strictly increasing"),
    (lambda: schedules.PiecewiseConstantDecay([10], [1.0]), ValueError, r"one more entry"),
    (lambda: schedules.CosineDecay(0.1, 100, warmup_steps=10), ValueError, r"warmup_target"),
    (lambda: schedules.CosineDecay(0.1, 100, alpha=2.0), ValueError, r"alpha.*\[0, 1\]"),
    (lambda: schedules.ReduceLROnPlateau(0.1, mode="minimum"), ValueError, r"mode.*'min'"),
    (lambda: schedules.ReduceLROnPlateau(0.1, factor=1.0), ValueError, r"factor"),
    (lambda: schedules.get("cosine_decy"), ValueError, r"did you mean 'CosineDecay'"),
    (lambda: EWMA(beta=1.0), ValueError, r"EWMA: beta must be .*\[0, 1\), got 1\.0"),
    (lambda: clip_grad_norm_([_p()], max_norm=-1.0), ValueError, r"max_norm"),
    (lambda: max_norm_([_p(2, 2)], max_value=0), ValueError, r"max_value"),
    (lambda: max_norm_([_p(2, 2)], max_value=1.0, axis=4), ValueError, r"axis=4"),
    (lambda: l2_penalty([], lam=0.1), ValueError, r"no parameters"),
    (lambda: l2_penalty([_p()], lam=-0.1), ValueError, r"lam.*-0\.1"),
    (lambda: l2_penalty([_p()], lam=0.1, m=0), ValueError, r"m.*0.*> 0|m.*> 0.*0"),
]


@pytest.mark.parametrize("make, error, pattern", CONSTRUCTION,
                         ids=[f"case{i}" for i in range(len(CONSTRUCTION))])
def test_bad_input_gives_one_clear_line(make, error, pattern):
    with pytest.raises(error, match=pattern) as info:
        make()
    assert "\n" not in str(info.value)


def test_duplicate_parameters_are_refused():
    p = _p()
    with pytest.raises(ValueError, match="more than one parameter group"):
        mo.SGD([{"params": [p]}, {"params": [p]}], lr=0.1)
    with pytest.raises(ValueError, match="twice"):
        mo.SGD([p, p], lr=0.1)


@pytest.mark.parametrize("bad", [float("nan"), -0.5])
def test_schedule_returning_nan_or_negative_names_the_step(bad):
    p = _p()
    opt = mo.SGD([p], lr=lambda t: 0.1 if t < 3 else bad)
    for _ in range(3):
        p.grad = np.ones(2)
        opt.step()
    p.grad = np.ones(2)
    with pytest.raises(ValueError, match=rf"returned {bad} at step 3.*finite number >= 0"):
        opt.step()


def test_gradient_of_the_wrong_shape_is_refused():
    p = _p(2)
    p.grad = np.ones(1)  # would broadcast silently
    with pytest.raises(ValueError, match=r"shape \(1,\).*shape \(2,\)"):
        mo.Adam([p]).step()


def _trained(cls, shapes, **kwargs):
    ps = [Parameter(np.ones(s)) for s in shapes]
    opt = cls(ps, **kwargs)
    for p in ps:
        p.grad = np.ones(p.shape)
    opt.step()
    return opt


def test_load_state_dict_refuses_another_type_or_shape():
    adam = _trained(mo.Adam, [(2, 3)]).state_dict()
    with pytest.raises(ValueError, match="saved from Adam, but this optimizer is SGD"):
        _trained(mo.SGD, [(2, 3)], momentum=0.9).load_state_dict(adam)
    with pytest.raises(ValueError, match=r"state 'v' of parameter 0 has shape \(2, 3\).*\(3, 2\)"):
        _trained(mo.Adam, [(3, 2)]).load_state_dict(adam)
    with pytest.raises(ValueError, match="1 parameters in the state but 2 here"):
        _trained(mo.Adam, [(2, 3), (2,)]).load_state_dict(adam)
    with pytest.raises(TypeError, match="state_dict"):
        _trained(mo.Adam, [(2, 3)]).load_state_dict([1, 2])
    adam["param_groups"][0]["betas"] = (0.9, 1.5)
    with pytest.raises(ValueError, match="betas"):
        _trained(mo.Adam, [(2, 3)]).load_state_dict(adam)


def test_failed_load_leaves_the_optimizer_unchanged():
    opt = _trained(mo.Adam, [(2, 3)])
    before = opt.state_dict()
    bad = _trained(mo.Adam, [(3, 2)]).state_dict()
    with pytest.raises(ValueError):
        opt.load_state_dict(bad)
    after = opt.state_dict()
    assert after["step_count"] == before["step_count"]
    np.testing.assert_array_equal(after["state"][0]["v"], before["state"][0]["v"])
