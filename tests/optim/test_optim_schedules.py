"""Schedules against their formulas step by step, and against torch.optim.lr_scheduler."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import mlplab.optim as mo
from mlplab.nn.parameter import Parameter
from mlplab.optim import EWMA, schedules

T = np.arange(0, 300)


def _torch_lrs(lr0, make_scheduler, steps=300):
    """The lr torch uses at steps 0, 1, …: read before each scheduler.step()."""
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr0)
    sched = make_scheduler(opt)
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return np.array(out)


def test_inverse_time_decay_is_the_notes_formula():
    lr = schedules.InverseTimeDecay(0.2, decay_steps=10, decay_rate=0.5)
    np.testing.assert_allclose([lr(t) for t in T], 0.2 / (1 + 0.5 * T / 10), rtol=1e-15)
    stair = schedules.InverseTimeDecay(0.2, decay_steps=10, decay_rate=0.5, staircase=True)
    np.testing.assert_allclose([stair(t) for t in T], 0.2 / (1 + 0.5 * (T // 10)), rtol=1e-15)
    # the notes' a = a0 / (1 + decay_rate * epoch_num) with 10 batches per epoch: epoch 3 → a0/2.5
    assert stair(35) == pytest.approx(0.2 / 2.5)


def test_exponential_decay_formula_and_torch_exponentiallr():
    lr = schedules.ExponentialDecay(0.1, decay_steps=20, decay_rate=0.3)
    np.testing.assert_allclose([lr(t) for t in T], 0.1 * 0.3 ** (T / 20), rtol=1e-13)
    # per step: ExponentialLR(gamma = rate^(1/steps)) stepped every step
    expected = _torch_lrs(0.1, lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.3 ** (1 / 20)))
    np.testing.assert_allclose([lr(t) for t in T], expected, rtol=1e-12)
    # per epoch (20 batches): ExponentialLR(gamma=rate) stepped once an epoch == staircase
    stair = schedules.ExponentialDecay(0.1, decay_steps=20, decay_rate=0.3, staircase=True)
    per_epoch = _torch_lrs(0.1, lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.3), 15)
    np.testing.assert_allclose([stair(t) for t in T], np.repeat(per_epoch, 20), rtol=1e-12)


def test_step_decay_matches_torch_steplr():
    lr = schedules.StepDecay(0.5, step_size=30, gamma=0.2)
    expected = _torch_lrs(0.5, lambda o: torch.optim.lr_scheduler.StepLR(o, 30, gamma=0.2))
    np.testing.assert_allclose([lr(t) for t in T], expected, rtol=1e-12)
    np.testing.assert_allclose([lr(t) for t in T], 0.5 * 0.2 ** (T // 30), rtol=1e-15)


def test_piecewise_constant_matches_keras_rule_and_torch_multisteplr():
    lr = schedules.PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.25])
    # Keras: values[0] while t <= 100, values[1] while t <= 200, then values[2]
    assert [lr(t) for t in (0, 100, 101, 200, 201, 10_000)] == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    milestones = [101, 201]  # torch changes the lr *at* a milestone
    expected = _torch_lrs(1.0, lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones, 0.5))
    np.testing.assert_allclose([lr(t) for t in T], expected, rtol=1e-15)


def test_cosine_decay_matches_torch_and_formula():
    lr = schedules.CosineDecay(0.1, decay_steps=200, alpha=0.1)
    expected = _torch_lrs(0.1, lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(
        o, T_max=200, eta_min=0.1 * 0.1), steps=201)
    np.testing.assert_allclose([lr(t) for t in range(201)], expected, rtol=1e-10)
    assert lr(250) == pytest.approx(0.01)  # Keras: stays at α·α₀ after decay_steps
    warm = schedules.CosineDecay(0.0, decay_steps=100, warmup_target=0.2, warmup_steps=50)
    for t in (0, 10, 49):
        assert warm(t) == pytest.approx(0.2 * t / 50)  # linear warm-up from α₀ = 0
    for t in (50, 80, 150, 400):
        k = min(t - 50, 100)
        assert warm(t) == pytest.approx(0.2 * 0.5 * (1 + math.cos(math.pi * k / 100)))


@pytest.mark.parametrize("cooldown", [0, 3])
@pytest.mark.parametrize("mode", ["min", "max"])
def test_reduce_on_plateau_matches_torch(cooldown, mode):
    rng = np.random.default_rng(0)
    values = np.cumsum(rng.normal(0, 1, 200)) + 0.05 * np.arange(200) ** 1.2  # drifts up
    values = values if mode == "min" else -values
    ours = schedules.ReduceLROnPlateau(1.0, mode=mode, factor=0.5, patience=4, min_delta=0.01,
                                       cooldown=cooldown, min_lr=1e-3)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(  # torch's patience counts one more
        opt, mode=mode, factor=0.5, patience=3, threshold=0.01, threshold_mode="abs",
        cooldown=cooldown, min_lr=1e-3)
    lrs = []
    for x in values:
        lrs.append(ours.update(x))
        theirs.step(x)
        assert lrs[-1] == pytest.approx(opt.param_groups[0]["lr"], rel=1e-12)
    assert len(set(lrs)) > 3 and min(lrs) == pytest.approx(1e-3)


def test_reduce_on_plateau_cooldown_by_hand_and_max_mode():
    lr = schedules.ReduceLROnPlateau(1.0, factor=0.5, patience=2, cooldown=2, min_delta=0.0)
    # best=5 | 2 bad → reduce, cooldown 2 | two cooldown updates count nothing | 2 bad → reduce
    seq = [5, 6, 6, 7, 7, 7, 7]
    assert [lr.update(x) for x in seq] == [1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25]
    up = schedules.ReduceLROnPlateau(1.0, mode="max", factor=0.1, patience=1)
    assert [up.update(x) for x in (1.0, 2.0, 1.5)] == [1.0, 1.0, 0.1]
    assert up(12345) == 0.1 and up.update(float("nan")) == pytest.approx(0.01)  # NaN never improves


def test_optimizer_uses_schedule_of_step_count():
    seen = []

    def schedule(t):
        seen.append(t)
        return 0.1

    p = Parameter(np.ones(2))
    opt = mo.SGD([p], lr=schedule)
    for _ in range(3):
        p.grad = np.ones(2)
        opt.step()
    assert seen == [0, 1, 2] and opt.step_count == 3
    np.testing.assert_allclose(p.data, 1 - 3 * 0.1)


def test_schedules_round_trip_through_state_dict_and_registry():
    for sched in (schedules.InverseTimeDecay(0.1, 5, 0.5, staircase=True),
                  schedules.CosineDecay(0.1, 50, alpha=0.2, warmup_target=0.3, warmup_steps=5),
                  schedules.PiecewiseConstantDecay([3, 7], [0.3, 0.2, 0.1])):
        copy = schedules.schedule_from_state(type(sched).__name__, sched.state_dict())
        assert [copy(t) for t in range(60)] == [sched(t) for t in range(60)]
    plateau = schedules.ReduceLROnPlateau(0.1, patience=1)
    for x in (3, 4, 5):
        plateau.update(x)
    copy = schedules.schedule_from_state("ReduceLROnPlateau", plateau.state_dict())
    assert (copy.lr, copy.best, copy.wait) == (plateau.lr, plateau.best, plateau.wait)
    assert isinstance(schedules.get("cosine_decay", initial_learning_rate=0.1, decay_steps=10),
                      schedules.CosineDecay)


# ----- EWMA ------------------------------------------------------------------------------
@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9, 0.98])
@pytest.mark.parametrize("bias_correction", [True, False])
def test_ewma_matches_the_closed_form(beta, bias_correction):
    theta = np.random.default_rng(1).normal(20, 5, size=60)  # the notes' daily temperatures
    avg = EWMA(beta, bias_correction=bias_correction)
    assert avg.value is None
    for t in range(1, len(theta) + 1):
        got = avg.update(theta[t - 1])
        # v_t = Σ_{i=1..t} (1 − β) β^{t−i} θ_i, v̂_t = v_t / (1 − βᵗ)
        v_t = sum((1 - beta) * beta ** (t - i) * theta[i - 1] for i in range(1, t + 1))
        expected = v_t / (1 - beta**t) if bias_correction else v_t
        assert got == pytest.approx(expected, rel=1e-12) and avg.value == got


def test_ewma_of_arrays_bias_correction_removes_the_start_up_bias():
    avg = EWMA(0.98)
    first = avg.update(np.array([10.0, -4.0]))
    np.testing.assert_allclose(first, [10.0, -4.0])  # v₁ = 0.02 θ₁, v̂₁ = θ₁
    raw = EWMA(0.98, bias_correction=False)
    np.testing.assert_allclose(raw.update(np.array([10.0, -4.0])), [0.2, -0.08])
    state = avg.state_dict()
    again = EWMA()
    again.load_state_dict(state)
    np.testing.assert_allclose(again.update(np.zeros(2)), avg.update(np.zeros(2)))
