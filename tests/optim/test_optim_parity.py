"""Every optimizer and option against torch.optim: same float64 MLP, same batches, 100+ steps.

Parameters must agree to 1e-10 (relative) after every single step.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from optim_helpers import (
    init_weights,
    make_data,
    ml_params,
    ml_step,
    torch_params,
    torch_step,
)

import mlplab.optim as mo
from mlplab.optim import schedules

STEPS = 120
RTOL, ATOL = 1e-10, 1e-13

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.5)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.9)),  # the notes' v = βv + (1−β)dW
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.1, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.02)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01)),
    ("Adagrad", dict(lr=0.1, weight_decay=0.01)),
    ("Adagrad", dict(lr=0.1, initial_accumulator_value=0.1, eps=1e-6)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9)),
    ("RMSprop", dict(lr=0.01, centered=True)),
    ("RMSprop", dict(lr=0.005, momentum=0.9)),
    ("RMSprop", dict(lr=0.005, momentum=0.9, centered=True, weight_decay=0.01)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.95, eps=1e-5)),
    ("Adadelta", dict(weight_decay=0.01)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("Adam", dict(lr=0.01, weight_decay=0.01)),
    ("Adam", dict(lr=0.01, weight_decay=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
]


def _assert_same(ml_ps, torch_ps, step, label):
    for i, (a, b) in enumerate(zip(ml_ps, torch_ps, strict=True)):
        expected = b.detach().numpy()
        if np.max(np.abs(a.data - expected) - RTOL * np.abs(expected)) > ATOL:  # fast path
            np.testing.assert_allclose(a.data, expected, rtol=RTOL, atol=ATOL,
                                       err_msg=f"{label}: parameter {i} differs after step {step}")


def _run(make_ml, make_torch, steps=STEPS, label="", torch_scheduler=None):
    X, Y = make_data()
    w = init_weights()
    p, t = ml_params(w), torch_params(w)
    opt, topt = make_ml(p), make_torch(t)
    sched = torch_scheduler(topt) if torch_scheduler else None
    for s in range(steps):
        ml_step(opt, p, X, Y, s)
        torch_step(topt, t, X, Y, s)
        if sched is not None:
            sched.step()
        _assert_same(p, t, s, label)
    return p


@pytest.mark.parametrize("name, kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_matches_torch_every_step(name, kwargs):
    params = _run(lambda p: getattr(mo, name)(p, **kwargs),
                  lambda t: getattr(torch.optim, name)(t, **kwargs), label=f"{name}{kwargs}")
    assert not np.array_equal(params[0].data, init_weights()[0])  # it did move


@pytest.mark.parametrize("name, kwargs", [
    ("SGD", dict(momentum=0.9)), ("Adam", dict()), ("RMSprop", dict(centered=True)),
    ("Adagrad", dict()), ("Adadelta", dict()), ("AdamW", dict()),
])
def test_param_groups_with_their_own_lr_and_decay(name, kwargs):
    """Weights and biases in separate groups: different lr, decay only on the weights."""
    def groups(ps, lib_lr):
        return [{"params": [ps[0], ps[2]], "weight_decay": 0.05, "lr": lib_lr},
                {"params": [ps[1], ps[3]], "weight_decay": 0.0}]
    lr = 0.5 if name == "Adadelta" else 0.02
    _run(lambda p: getattr(mo, name)(groups(p, 2 * lr), lr=lr, **kwargs),
         lambda t: getattr(torch.optim, name)(groups(t, 2 * lr), lr=lr, **kwargs),
         label=f"{name} groups")


def test_add_param_group_later():
    X, Y = make_data()
    w = init_weights()
    p, t = ml_params(w), torch_params(w)
    opt, topt = mo.Adam(p[:2], lr=0.01), torch.optim.Adam(t[:2], lr=0.01)
    for s in range(110):
        if s == 10:
            opt.add_param_group({"params": p[2:], "lr": 0.003, "amsgrad": True})
            topt.add_param_group({"params": t[2:], "lr": 0.003, "amsgrad": True})
        ml_step(opt, p, X, Y, s)
        torch_step(topt, t, X, Y, s)
        _assert_same(p, t, s, "add_param_group")


def test_step_decay_schedule_matches_torch_steplr():
    _run(lambda p: mo.SGD(p, lr=schedules.StepDecay(0.2, step_size=25, gamma=0.5), momentum=0.9),
         lambda t: torch.optim.SGD(t, lr=0.2, momentum=0.9),
         torch_scheduler=lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=25, gamma=0.5),
         label="StepDecay")


def test_exponential_decay_schedule_matches_torch_exponentiallr():
    # ExponentialDecay(lr0, steps, rate): lr0 · rate^(t/steps) = ExponentialLR(rate^(1/steps))
    _run(lambda p: mo.Adam(p, lr=schedules.ExponentialDecay(0.02, decay_steps=10, decay_rate=0.5)),
         lambda t: torch.optim.Adam(t, lr=0.02),
         torch_scheduler=lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.5 ** 0.1),
         label="ExponentialDecay")


def test_closure_is_called_and_its_loss_returned():
    X, Y = make_data()
    p = ml_params(init_weights())
    opt = mo.SGD(p, lr=0.1)
    from optim_helpers import ml_loss

    def closure():
        opt.zero_grad()
        loss = ml_loss(p, X, Y)
        loss.backward()
        return loss

    first = float(opt.step(closure).data)
    assert float(opt.step(closure).data) < first
