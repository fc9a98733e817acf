"""Exact resume: stop at step k, save model + optimizer state, load into fresh objects, go on.

The continued run must be bit-identical (np.array_equal) to the uninterrupted one, for
every registered optimizer, with and without schedules, through copy.deepcopy and
through arrays saved with numpy + JSON metadata.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from optim_helpers import init_weights, make_data, ml_params, ml_step

import mlplab.optim as mo
from mlplab.optim import schedules

TOTAL, STOP = 24, 9


def _options(name):
    return {"sgd": dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3),
            "adagrad": dict(lr=0.1, lr_decay=0.01), "adadelta": dict(weight_decay=1e-3),
            "rmsprop": dict(momentum=0.5, centered=True), "adam": dict(amsgrad=True, lr=0.01),
            "adamw": dict(lr=0.01)}[name]


LR_FACTORIES = {
    "constant": lambda: None,
    "cosine": lambda: schedules.CosineDecay(0.01, decay_steps=15, warmup_target=0.02,
                                            warmup_steps=4),
    "plateau": lambda: schedules.ReduceLROnPlateau(0.01, factor=0.5, patience=1, min_delta=0.0),
}


def _build(name, weights, lr_kind):
    params = ml_params(weights)
    kwargs = _options(name)
    schedule = LR_FACTORIES[lr_kind]()
    if schedule is not None:
        kwargs["lr"] = schedule
    # biases in their own group without weight decay: groups must survive the round trip
    groups = [{"params": [params[0], params[2]]}, {"params": [params[1], params[3]], "lr": 0.02
                                                    if schedule is None else schedule}]
    return params, mo.get_optimizer(name, groups, **kwargs), schedule


def _train(params, opt, schedule, X, Y, steps):
    for s in steps:
        loss = ml_step(opt, params, X, Y, s)
        if isinstance(schedule, schedules.ReduceLROnPlateau):
            schedule.update(loss + (0.1 if s % 3 else 0.0))  # bumpy, so it reduces sometimes


def _json_npz_round_trip(state, tmp_path):
    arrays, meta = mo.flatten_state_dict(state)
    np.savez(tmp_path / "opt.npz", **arrays)
    (tmp_path / "opt.json").write_text(json.dumps(meta))
    meta = json.loads((tmp_path / "opt.json").read_text())
    with np.load(tmp_path / "opt.npz") as archive:
        return mo.unflatten_state_dict(dict(archive), meta)


@pytest.mark.parametrize("lr_kind", list(LR_FACTORIES))
@pytest.mark.parametrize("name", list(mo.OPTIMIZERS))
@pytest.mark.parametrize("via", ["deepcopy", "npz+json"])
def test_resume_is_bit_identical(name, lr_kind, via, tmp_path):
    X, Y = make_data()
    weights = init_weights()

    params, opt, sched = _build(name, weights, lr_kind)
    _train(params, opt, sched, X, Y, range(TOTAL))
    expected = [p.data.copy() for p in params]

    params, opt, sched = _build(name, weights, lr_kind)
    _train(params, opt, sched, X, Y, range(STOP))
    saved_weights = [p.data.copy() for p in params]
    state = opt.state_dict()
    if via == "deepcopy":
        state = copy.deepcopy(state)
    else:
        state = _json_npz_round_trip(state, tmp_path)
        np.savez(tmp_path / "model.npz", *saved_weights)
        with np.load(tmp_path / "model.npz") as archive:
            saved_weights = [archive[f"arr_{i}"] for i in range(len(saved_weights))]
    _train(params, opt, sched, X, Y, range(STOP, STOP + 3))  # must not leak into `state`

    params2, opt2, sched2 = _build(name, saved_weights, lr_kind)
    opt2.load_state_dict(state)
    if sched2 is not None:  # the optimizer loaded the schedule's state in place
        assert opt2.param_groups[0]["lr"] is sched2
    assert opt2.step_count == STOP
    _train(params2, opt2, sched2, X, Y, range(STOP, TOTAL))
    for i, (a, b) in enumerate(zip(params2, expected, strict=True)):
        assert np.array_equal(a.data, b), f"{name}/{lr_kind}: parameter {i} differs after resume"


def test_state_dict_is_a_copy_and_names_the_records():
    X, Y = make_data()
    params = ml_params(init_weights())
    opt = mo.Adam(params, lr=0.01)
    ml_step(opt, params, X, Y, 0)
    state = opt.state_dict()
    assert state["optimizer"] == "Adam" and state["step_count"] == 1
    assert set(state["state"][0]) == {"step", "v", "s", "s_max"}
    assert state["param_groups"][0]["params"] == [0, 1, 2, 3]
    before = state["state"][0]["v"].copy()
    ml_step(opt, params, X, Y, 1)
    assert np.array_equal(state["state"][0]["v"], before)
    assert isinstance(opt.state[params[0]], mo.AdamState)
