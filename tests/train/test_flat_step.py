"""The optimizer's step over all of a small model's parameters laid end to end
(``FlatStep``): the numbers of ``step()`` after the whole backward pass, bit for bit,
for every elementwise rule; ``p.data`` and the optimizer's state as views into flat
arrays that stay valid across steps and fits; the usual step wherever it cannot apply."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab as ml
from mlplab.optim.flat_step import FlatStep
from mlplab.optim.layerwise import LayerwiseStep
from mlplab.train.callbacks import ModelCheckpoint, ReduceLROnPlateau

nn = ml.nn


def model(dtype: str = "float32", seed: int = 0) -> nn.Sequential:
    # every parameter under SMALLEST_FOLDED entries: the flat step applies
    return nn.Sequential(nn.Linear(5, 16, seed=seed, dtype=dtype), nn.Tanh(),
                         nn.Linear(16, 12, seed=seed + 1, dtype=dtype), nn.ReLU(),
                         nn.Linear(12, 3, seed=seed + 2, dtype=dtype))


def data(dtype: str = "float32", n: int = 100):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 5)).astype(dtype), rng.integers(0, 3, n)


OPTIMIZERS = {
    "sgd": lambda p: ml.optim.SGD(p, lr=0.1),
    "momentum": lambda p: ml.optim.SGD(p, lr=0.05, momentum=0.9),
    "dampening": lambda p: ml.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.3),
    "nesterov": lambda p: ml.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    "weight_decay": lambda p: ml.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=1e-3),
    "schedule": lambda p: ml.optim.SGD(p, lr=ml.optim.ExponentialDecay(0.1, 2, 0.9),
                                       momentum=0.5),
    "adam": lambda p: ml.optim.Adam(p, lr=1e-2),
    "amsgrad": lambda p: ml.optim.Adam(p, lr=1e-2, amsgrad=True),
    "adamw": lambda p: ml.optim.AdamW(p, lr=1e-2, weight_decay=0.01),
    "rmsprop": lambda p: ml.optim.RMSprop(p, lr=1e-3, momentum=0.5, centered=True),
    "adagrad": lambda p: ml.optim.Adagrad(p, lr=0.05),
    "adadelta": lambda p: ml.optim.Adadelta(p),
}


class _Count:
    """Counts the steps each kind finished."""

    def __init__(self, monkeypatch):
        self.flat = self.layerwise = 0
        flat_finish, layer_finish = FlatStep.finish, LayerwiseStep.finish

        def flat(step):
            self.flat += 1
            flat_finish(step)

        def layer(step):
            self.layerwise += 1
            layer_finish(step)
        monkeypatch.setattr(FlatStep, "finish", flat)
        monkeypatch.setattr(LayerwiseStep, "finish", layer)


def fit(optimizer, dtype="float32", flat=True, epochs=3, net=None, **kwargs):
    net = model(dtype) if net is None else net
    opt = optimizer(net.parameters()) if callable(optimizer) else optimizer
    trainer = ml.train.Trainer(net, nn.CrossEntropyLoss(), opt, seed=3, verbose=0, **kwargs)
    trainer.layerwise_update = flat
    history = trainer.fit(*data(dtype), epochs=epochs, batch_size=32)  # 4 batches per epoch
    return net, trainer, history


def assert_same(net, plain, trainer, plain_trainer):
    for p, q in zip(net.parameters(), plain.parameters(), strict=True):
        assert p.grad is None and q.grad is None
        np.testing.assert_array_equal(p.data, q.data)
    state = trainer.optimizer.state_dict()["state"]
    plain_state = plain_trainer.optimizer.state_dict()["state"]
    assert state.keys() == plain_state.keys()
    for k, record in state.items():
        assert record.keys() == plain_state[k].keys()
        for field, value in record.items():
            if isinstance(value, np.ndarray):
                np.testing.assert_array_equal(value, plain_state[k][field])
            else:
                assert value == plain_state[k][field]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_the_flat_step_equals_the_step_after_backward_bit_for_bit(monkeypatch, dtype, optimizer):
    count = _Count(monkeypatch)
    net, trainer, history = fit(OPTIMIZERS[optimizer], dtype)
    assert count.flat == 12 and count.layerwise == 0
    plain, plain_trainer, plain_history = fit(OPTIMIZERS[optimizer], dtype, flat=False)
    assert count.flat == 12  # the plain run took no flat step
    assert trainer.optimizer.step_count == plain_trainer.optimizer.step_count == 12
    assert_same(net, plain, trainer, plain_trainer)
    assert history.history == plain_history.history


def test_parameters_become_views_of_one_array_that_stay_valid():
    net = model()
    trainer = ml.train.Trainer(net, nn.CrossEntropyLoss(),
                               ml.optim.SGD(net.parameters(), lr=0.1, momentum=0.9),
                               seed=3, verbose=0)
    X, y = data()
    trainer.train_step(X[:32], y[:32])
    params = list(net.parameters())
    theta = params[0].data.base
    assert theta is not None and theta.size == sum(p.data.size for p in params)
    assert all(p.data.base is theta for p in params)
    kept = [p.data for p in params]  # references taken after the first step
    before = [k.copy() for k in kept]
    trainer.fit(X, y, epochs=1, batch_size=32)
    # a new Trainer (and optimizer) on the same model keeps the same arrays too
    again = ml.train.Trainer(net, nn.CrossEntropyLoss(), ml.optim.Adam(net.parameters()),
                             seed=3, verbose=0)
    again.fit(X, y, epochs=1, batch_size=32)
    for p, k, b in zip(params, kept, before, strict=True):
        assert p.data is k
        assert not np.array_equal(k, b)  # trained through the reference
    # each parameter's optimizer state is its part of one flat array as well
    velocities = [trainer.optimizer.state[p].momentum_buffer for p in params]
    assert all(v.base is velocities[0].base for v in velocities)


def _twice(monkeypatch, change, steps=8):
    """Four steps, ``change(net, trainer)``, four more (in one ``FlatStep``: no fit ends
    in between); flat and plain."""
    count = _Count(monkeypatch)
    X, y = data(n=128)
    runs = []
    for flat in (True, False):
        net = model()
        trainer = ml.train.Trainer(net, nn.CrossEntropyLoss(),
                                   OPTIMIZERS["momentum"](net.parameters()), verbose=0)
        trainer.layerwise_update = flat
        for start in range(0, 128, 32):
            trainer.train_step(X[start:start + 32], y[start:start + 32])
        change(net, trainer)
        for start in range(0, 128, 32):
            trainer.train_step(X[start:start + 32], y[start:start + 32])
        runs.append((net, trainer))
    assert count.flat == steps and count.layerwise == 0
    assert_same(runs[0][0], runs[1][0], runs[0][1], runs[1][1])


def test_replaced_parameter_values_are_laid_out_again(monkeypatch):
    def replace(net, trainer):
        net[2].weight.data = np.full_like(net[2].weight.data, 0.01)  # not in the layout
    _twice(monkeypatch, replace)


@pytest.mark.parametrize("what", ["value", "record"])
def test_a_replaced_state_value_or_record_is_laid_out_again(monkeypatch, what):
    def replace(net, trainer):
        state, bias = trainer.optimizer.state, net[2].bias
        if what == "value":
            state[bias].momentum_buffer = np.ones_like(bias.data)
        else:
            state[bias] = ml.optim.SGDState(momentum_buffer=np.ones_like(bias.data))
    _twice(monkeypatch, replace)


def test_a_loaded_optimizer_state_is_laid_out_again(monkeypatch):
    def rewind(net, trainer):
        saved = trainer.optimizer.state_dict()
        trainer.train_step(*data(n=32))
        trainer.optimizer.load_state_dict(saved)  # new records, the velocity of before
    _twice(monkeypatch, rewind, steps=9)


def test_a_resumed_optimizer_continues_exactly():
    X, y = data()
    twin, twin_trainer, _ = fit(OPTIMIZERS["adam"], epochs=1)
    twin_trainer.fit(X, y, epochs=2, batch_size=32, shuffle=False)  # straight on
    net, trainer, _ = fit(OPTIMIZERS["adam"], epochs=1)
    resumed = model(seed=7)  # other initial weights, overwritten by the load
    resumed.load_state_dict(net.state_dict())
    opt = ml.optim.Adam(resumed.parameters(), lr=1e-2)
    opt.load_state_dict(trainer.optimizer.state_dict())  # separate arrays: laid out again
    again = ml.train.Trainer(resumed, nn.CrossEntropyLoss(), opt, seed=3, verbose=0)
    again.fit(X, y, epochs=1, batch_size=32, shuffle=False)
    for p, q in zip(resumed.parameters(), twin.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)
    assert opt.step_count == twin_trainer.optimizer.step_count == 8
    assert all(opt.state[p].step == 8 for p in resumed.parameters())


def test_parameters_in_two_groups_take_the_layerwise_step(monkeypatch):
    count = _Count(monkeypatch)
    runs = []
    for flat in (True, False):
        net = model()
        weights = [p for name, p in net.named_parameters() if name.endswith("weight")]
        biases = [p for name, p in net.named_parameters() if name.endswith("bias")]
        opt = ml.optim.SGD([{"params": weights, "weight_decay": 1e-3}, {"params": biases}],
                           lr=0.1, momentum=0.9)
        runs.append(fit(opt, flat=flat, net=net))
    assert count.flat == 0 and count.layerwise == 12
    assert_same(runs[0][0], runs[1][0], runs[0][1], runs[1][1])


def test_a_rule_not_declared_elementwise_keeps_the_layerwise_step(monkeypatch):
    class ScaledByNorm(ml.optim.SGD):  # divides by each parameter's norm: not elementwise
        def update(self, p, g, state, lr, group):
            p.data -= lr * g / (np.linalg.norm(g) + 1.0)

    count = _Count(monkeypatch)
    runs = [fit(lambda p: ScaledByNorm(p, lr=0.1), flat=flat) for flat in (True, False)]
    assert count.flat == 0 and count.layerwise == 12
    for p, q in zip(runs[0][0].parameters(), runs[1][0].parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)


def test_a_failing_rule_leaves_the_step_uncounted(monkeypatch):
    net = model()
    opt = ml.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    trainer = ml.train.Trainer(net, nn.CrossEntropyLoss(), opt, seed=0, verbose=0)

    def broken(*args, **kwargs):
        raise MemoryError("no room")
    monkeypatch.setattr(ml.optim.SGD, "update", broken)
    with pytest.raises(MemoryError):
        trainer.train_step(*data(n=32))
    assert opt._lending_grads is False and opt.step_count == 0


def test_a_run_resumed_from_its_checkpoint_equals_the_straight_run(tmp_path):
    # the resumed Trainer lays out freshly loaded weights and Adam moments: same bits
    def run(folder):
        net = model(seed=4)
        return ml.train.Trainer(
            net, nn.CrossEntropyLoss(), ml.optim.Adam(net.parameters(), lr=0.02), seed=5,
            verbose=0, callbacks=[ReduceLROnPlateau("loss", factor=0.5, patience=1),
                                  ModelCheckpoint(folder / "ckpt-{epoch}.safetensors")])

    X, y = data()
    straight = run(tmp_path / "a")
    straight.fit(X, y, epochs=6, batch_size=16)
    first = run(tmp_path / "b")
    first.fit(X, y, epochs=3, batch_size=16)
    resumed = run(tmp_path / "b").resume(tmp_path / "b" / "ckpt-3.safetensors")
    resumed.fit(X, y, epochs=6, batch_size=16)
    assert resumed.history.history == straight.history.history
    for p, q in zip(resumed.model.parameters(), straight.model.parameters(), strict=True):
        assert p.data.base is not None  # laid out: the flat step ran after the resume
        np.testing.assert_array_equal(p.data, q.data)
