"""The optimizer's step applied layer by layer during the backward pass (``LayerwiseStep``):
the numbers of ``step()`` after the whole backward pass — bit for bit where a rule takes
the gradient as it is, to float rounding where SGD folds dW into one GEMM — and the
plain step wherever something else needs the gradients."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab as ml
from mlplab.optim.layerwise import SMALLEST_FOLDED, LayerwiseStep
from mlplab.train.training_plan import plan_for

nn = ml.nn


def model(dtype: str, seed: int = 0) -> nn.Sequential:
    # two weights large enough for SGD's folded GEMM, one small (NumPy product + rule)
    return nn.Sequential(nn.Linear(40, 128, seed=seed, dtype=dtype), nn.ReLU(),
                         nn.Linear(128, 64, seed=seed + 1, dtype=dtype), nn.Tanh(),
                         nn.Linear(64, 3, seed=seed + 2, dtype=dtype))


def data(dtype: str, n: int = 100):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 40)).astype(dtype), rng.integers(0, 3, n)


OPTIMIZERS = {  # name → (factory, folds dW into its own arrays)
    "sgd": (lambda p: ml.optim.SGD(p, lr=0.1), True),
    "momentum": (lambda p: ml.optim.SGD(p, lr=0.05, momentum=0.9), True),
    "dampening": (lambda p: ml.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.3), True),
    "nesterov": (lambda p: ml.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True), False),
    "weight_decay": (lambda p: ml.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=1e-3),
                     False),
    "schedule": (lambda p: ml.optim.SGD(p, lr=ml.optim.ExponentialDecay(0.1, 2, 0.9),
                                         momentum=0.5), True),
    "adam": (lambda p: ml.optim.Adam(p, lr=1e-3), False),
    "adamw": (lambda p: ml.optim.Adam(p, lr=1e-3, weight_decay=0.01,
                                      decoupled_weight_decay=True), False),
    "rmsprop": (lambda p: ml.optim.RMSprop(p, lr=1e-3), False),
    "adagrad": (lambda p: ml.optim.Adagrad(p, lr=0.01), False),
    "adadelta": (lambda p: ml.optim.Adadelta(p), False),
}


def fit(dtype: str, optimizer: str, layerwise: bool, **kwargs):
    net = model(dtype)
    trainer = ml.train.Trainer(net, nn.CrossEntropyLoss(),
                               OPTIMIZERS[optimizer][0](net.parameters()),
                               seed=3, verbose=0, **kwargs)
    trainer.layerwise_update = layerwise
    X, y = data(dtype)
    history = trainer.fit(X, y, epochs=3, batch_size=32)  # 4 batches, the last of 4 rows
    return net, trainer, history


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_layerwise_steps_equal_the_step_after_backward(dtype, optimizer):
    net, trainer, history = fit(dtype, optimizer, layerwise=True)
    plain, plain_trainer, plain_history = fit(dtype, optimizer, layerwise=False)
    folds = OPTIMIZERS[optimizer][1]
    assert trainer.optimizer.step_count == plain_trainer.optimizer.step_count == 12
    state, plain_state = (t.optimizer.state_dict()["state"] for t in (trainer, plain_trainer))
    tol = 1e-12 if dtype == "float64" else 2e-6
    for p, q in zip(net.parameters(), plain.parameters(), strict=True):
        assert p.grad is None and q.grad is None
        if folds:
            np.testing.assert_allclose(p.data, q.data, rtol=tol, atol=tol)
        else:
            np.testing.assert_array_equal(p.data, q.data)
    for k, record in state.items():
        for field, value in record.items():
            if isinstance(value, np.ndarray):
                np.testing.assert_allclose(value, plain_state[k][field], rtol=tol, atol=tol)
    if not folds:
        assert history.history == plain_history.history
    else:
        np.testing.assert_allclose(history["loss"], plain_history["loss"], rtol=1e-5)


def test_sgd_folds_only_large_weights_and_differs_by_rounding_alone():
    # the folded route is taken (the weights differ in their last bits) ...
    net, _, _ = fit("float32", "momentum", layerwise=True)
    plain, _, _ = fit("float32", "momentum", layerwise=False)
    big = [p for p in net.parameters() if p.data.size >= SMALLEST_FOLDED]
    assert len(big) == 2
    assert any(not np.array_equal(p.data, q.data)
               for p, q in zip(net.parameters(), plain.parameters(), strict=True)
               if p.data.size >= SMALLEST_FOLDED)
    # ... and small weights and the biases take the rule on NumPy's product, bit for bit
    # until the large layers' rounding reaches them
    one_step = []
    for layerwise in (True, False):
        m = model("float32")
        t = ml.train.Trainer(m, nn.CrossEntropyLoss(), ml.optim.SGD(m.parameters(), lr=0.1),
                             seed=None, verbose=0)
        t.layerwise_update = layerwise
        t.train_step(*data("float32", n=32))
        one_step.append(m)
    small = [(p, q) for p, q in zip(one_step[0].parameters(), one_step[1].parameters(),
                                    strict=True) if p.data.size < SMALLEST_FOLDED]
    for p, q in small:
        np.testing.assert_array_equal(p.data, q.data)


class _Spy:
    """Counts LayerwiseStep.begin calls."""

    def __init__(self, monkeypatch):
        self.calls = 0
        original = LayerwiseStep.begin

        def begin(step, params):
            self.calls += 1
            return original(step, params)
        monkeypatch.setattr(LayerwiseStep, "begin", begin)


def test_clipping_keeps_the_step_after_backward(monkeypatch):
    spy = _Spy(monkeypatch)
    fit("float32", "momentum", layerwise=True, clip_grad_norm=1.0)
    assert spy.calls == 0
    fit("float32", "momentum", layerwise=True)
    assert spy.calls == 12


def test_an_optimizer_with_its_own_step_keeps_it(monkeypatch):
    class Counting(ml.optim.SGD):
        steps = 0

        def step(self, closure=None, *, consume_grads=False):
            Counting.steps += 1
            return super().step(closure, consume_grads=consume_grads)

    spy = _Spy(monkeypatch)
    net = model("float32")
    trainer = ml.train.Trainer(net, nn.CrossEntropyLoss(),
                               Counting(net.parameters(), lr=0.1), seed=0, verbose=0)
    trainer.fit(*data("float32"), epochs=1, batch_size=32)
    assert Counting.steps == 4 and spy.calls == 0


def test_parameters_outside_the_optimizer_keep_the_plain_step():
    net = model("float32")
    opt = ml.optim.SGD(list(net[2].parameters()) + list(net[4].parameters()), lr=0.1)
    trainer = ml.train.Trainer(net, nn.CrossEntropyLoss(), opt, seed=0, verbose=0)
    trainer.fit(*data("float32"), epochs=1, batch_size=32)  # draws the initial weights
    frozen = [p.data.copy() for p in net[0].parameters()]
    trainer.fit(*data("float32"), epochs=2, batch_size=32)
    for p, before in zip(net[0].parameters(), frozen, strict=True):
        np.testing.assert_array_equal(p.data, before)
    assert opt.step_count == 8


def test_a_failing_backward_leaves_the_optimizer_as_it_was(monkeypatch):
    net = model("float32")
    opt = ml.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    trainer = ml.train.Trainer(net, nn.CrossEntropyLoss(), opt, seed=0, verbose=0)

    def broken(*args):
        raise MemoryError("no room")
    monkeypatch.setattr(ml.optim.SGD, "update_from_product", broken)
    with pytest.raises(MemoryError):
        trainer.train_step(*data("float32", n=32))
    assert opt._lending_grads is False and opt.step_count == 0


def test_kept_arrays_are_reused_between_steps_and_released_when_fit_ends():
    net = model("float32")
    trainer = ml.train.Trainer(net, nn.CrossEntropyLoss(),
                               ml.optim.SGD(net.parameters(), lr=0.1), seed=0, verbose=0)
    X, y = data("float32", n=64)
    trainer.train_step(X[:32], y[:32])
    plan = plan_for(net, trainer.loss)
    kept = plan.steps[0].buffers.arrays["z"]
    out = trainer.train_step(X[32:], y[32:])[1]
    assert plan.steps[0].buffers.arrays["z"] is kept  # the same memory, written again
    assert out is not kept and out.shape == (32, 3)  # the outputs are the caller's
    trainer.fit(X, y, epochs=1, batch_size=32)
    assert plan.steps[0].buffers.arrays == {}
