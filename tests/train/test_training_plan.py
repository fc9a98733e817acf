"""The prepared training step (``training_plan``): the same losses, outputs, gradients and
weights as the autograd path, bit for bit, and the plain path wherever it does not apply."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab as ml
import mlplab.train.stepping as stepping
from mlplab.optim.layerwise import SMALLEST_FOLDED
from mlplab.train.divergence import NonFiniteLoss
from mlplab.train.training_plan import KEEP_FROM, plan_for

nn = ml.nn

ACTIVATIONS = [nn.ReLU, nn.Tanh, nn.Sigmoid, lambda: nn.LeakyReLU(0.2), lambda: nn.ELU(0.7),
               nn.Identity]
LOSSES = {  # loss, output width, extra last layer, targets
    "mse": (nn.MSELoss, 2, None, lambda rng, n: rng.normal(size=(n, 2))),
    "bce_logits": (nn.BCEWithLogitsLoss, 1, None, lambda rng, n: rng.integers(0, 2, n)),
    "bce": (nn.BCELoss, 1, nn.Sigmoid, lambda rng, n: rng.integers(0, 2, n)),
    "cross_entropy": (nn.CrossEntropyLoss, 3, None, lambda rng, n: rng.integers(0, 3, n)),
}


def mlp(dtype: str, activation, width_out: int, last=None) -> nn.Sequential:
    """Every activation twice: after a Linear, and after another activation."""
    layers = [nn.Linear(4, 6, seed=0, dtype=dtype), activation(), activation(),
              nn.Linear(6, 5, seed=1, dtype=dtype), activation(),
              nn.Linear(5, width_out, seed=2, dtype=dtype)]
    if last is not None:
        layers.append(last())
    return nn.Sequential(*layers)


def data(loss_name: str, dtype: str, n: int = 13, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4)).astype(dtype)
    return X, LOSSES[loss_name][3](rng, n)


def trainer(model, loss, optimizer="adam", **kwargs):
    opt = {"adam": ml.optim.Adam(model.parameters(), lr=0.05),
           "sgd": ml.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)}[optimizer]
    return ml.train.Trainer(model, loss, opt, seed=None, verbose=0, **kwargs)


@pytest.fixture
def no_plan(monkeypatch):
    """Within a test: a function that runs a callable with the plan switched off."""
    def plain(fn, *args, **kwargs):
        with monkeypatch.context() as m:
            m.setattr(stepping, "plan_for", lambda *a: None)
            return fn(*args, **kwargs)
    return plain


def assert_same_weights(a, b):
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)
        assert p.data.dtype == q.data.dtype


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("loss_name", list(LOSSES))
@pytest.mark.parametrize("activation", ACTIVATIONS, ids=lambda a: getattr(a, "__name__", "f"))
def test_steps_through_the_plan_equal_the_autograd_path(dtype, loss_name, activation, no_plan):
    loss_type, width, last, _ = LOSSES[loss_name]
    X, y = data(loss_name, dtype)
    planned, plain = (mlp(dtype, activation, width, last) for _ in range(2))
    t_plan, t_plain = trainer(planned, loss_type()), trainer(plain, loss_type())
    assert plan_for(planned, t_plan.loss) is not None
    for step in range(4):
        value, out = t_plan.train_step(X, y)
        value_plain, out_plain = no_plan(t_plain.train_step, X, y)
        assert value == value_plain, step
        np.testing.assert_array_equal(out, out_plain)
        assert_same_weights(planned, plain)


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
@pytest.mark.parametrize("activation", [nn.ReLU, nn.Tanh, nn.Sigmoid], ids=lambda a: a.__name__)
def test_in_place_activations_on_kept_arrays_equal_the_autograd_path(activation, optimizer,
                                                                     no_plan):
    """Batches wide enough (≥ KEEP_FROM elements per layer output) for kept arrays and
    activations computed in place over them; batch sizes change between steps, so a
    kept array is both reused and replaced. Weights stay below SMALLEST_FOLDED: no
    folded GEMM, so every bit must match."""
    widths = (5, 40, 40, 3)
    rng = np.random.default_rng(11)

    def net():
        return nn.Sequential(nn.Linear(5, 40, seed=0), activation(), nn.Linear(40, 40, seed=1),
                             activation(), nn.Linear(40, 3, seed=2))
    planned, plain = net(), net()
    assert all(p.data.size < SMALLEST_FOLDED for p in planned.parameters())
    t_plan, t_plain = (trainer(m, nn.CrossEntropyLoss(), optimizer) for m in (planned, plain))
    kinds = [type(s).__name__ for s in plan_for(planned, t_plan.loss).steps]
    assert kinds.count("_InPlaceActivation") == 2, kinds
    for n in (200, 200, 150, 200):
        assert n * widths[1] >= KEEP_FROM
        X = rng.normal(size=(n, widths[0])).astype("float32")
        y = rng.integers(0, 3, n)
        value, out = t_plan.train_step(X, y)
        value_plain, out_plain = no_plan(t_plain.train_step, X, y)
        assert value == value_plain
        np.testing.assert_array_equal(out, out_plain)
        assert_same_weights(planned, plain)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradients_equal_backward_bit_for_bit(dtype):
    """The plan alone, without an optimizer: each .grad as loss.backward() leaves it,
    including a mean over more than 4096 elements (the engine broadcasts 1/n there)."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(700, 4)).astype(dtype)
    T = rng.normal(size=(700, 7)).astype(dtype)
    a, b = (nn.Sequential(nn.Linear(4, 9, seed=3, dtype=dtype), nn.Tanh(),
                          nn.Linear(9, 7, seed=4, dtype=dtype), nn.Sigmoid()) for _ in range(2))
    loss = nn.MSELoss()
    plan = plan_for(a, loss)
    out = plan.forward(X)
    value = plan.loss(T)
    plan.backward()
    reference = loss(b(ml.Tensor(X)), ml.Tensor(T))
    reference.backward()
    assert value == float(reference.data)
    np.testing.assert_array_equal(out, b(ml.Tensor(X)).data)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert p.grad is not q.grad and p.grad.dtype == q.grad.dtype
        np.testing.assert_array_equal(p.grad, q.grad)


def test_an_existing_gradient_is_added_to_as_backward_does():
    a, b = (nn.Sequential(nn.Linear(4, 3, seed=0), nn.ReLU(), nn.Linear(3, 1, seed=1))
            for _ in range(2))
    X, y = data("mse", "float32")
    y = y[:, :1].astype("float32")
    loss = nn.MSELoss()
    for _ in range(2):  # no zero_grad in between: the second backward accumulates
        plan = plan_for(a, loss)
        plan.forward(X)
        plan.loss(y)
        plan.backward()
        loss(b(ml.Tensor(X)), ml.Tensor(y)).backward()
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(p.grad, q.grad)


@pytest.mark.parametrize("loss_name", ["mse", "cross_entropy"])
def test_seeded_fit_histories_are_unchanged(loss_name, no_plan):
    loss_type, width, last, _ = LOSSES[loss_name]
    X, y = data(loss_name, "float32", n=64, seed=2)
    metrics = ["accuracy"] if loss_name == "cross_entropy" else ["mae"]

    def fit():
        model = mlp("float32", nn.Tanh, width, last)
        t = ml.train.Trainer(model, loss_type(), "sgd", metrics=metrics, seed=7, verbose=0,
                             clip_grad_norm=1.0)
        return model, t.fit(X, y, epochs=3, batch_size=16, validation_split=0.25).history

    planned, history = fit()
    plain, history_plain = no_plan(fit)
    assert history == history_plain
    assert_same_weights(planned, plain)


def test_outputs_returned_by_a_step_are_not_overwritten_later():
    model = mlp("float32", nn.Tanh, 3)
    t = trainer(model, nn.CrossEntropyLoss())
    X, y = data("cross_entropy", "float32")
    _, first = t.train_step(X, y)
    kept = first.copy()
    t.train_step(X, y)
    np.testing.assert_array_equal(first, kept)


def test_a_non_finite_loss_raises_before_any_gradient_or_update():
    model = mlp("float32", nn.Tanh, 2)
    t = trainer(model, nn.MSELoss())
    X, y = data("mse", "float32")
    y = y.astype("float32")
    y[3, 1] = np.inf
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(NonFiniteLoss):
        t.train_step(X, y)
    for p, saved in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.data, saved)
        assert p.grad is None


def test_a_diverging_fit_stops_with_the_plain_paths_error():
    model = mlp("float32", nn.ReLU, 2)
    t = ml.train.Trainer(model, nn.MSELoss(), ml.optim.SGD(model.parameters(), lr=1e6),
                         seed=0, verbose=0)
    X, y = data("mse", "float32", n=32)
    with pytest.raises(ml.train.DivergenceError, match="epoch"):
        t.fit(X * 1e3, y * 1e3, epochs=5, batch_size=8)


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_a_finite_mse_means_finite_outputs_the_step_need_not_check_them(bad):
    # MSEHead.finite_loss_means_finite_outputs lets the step skip its test of A
    from mlplab.train.training_losses import CrossEntropyHead, MSEHead

    out = np.zeros((4, 2), dtype="float32")
    out[2, 1] = bad
    for target in (np.zeros_like(out), np.full_like(out, bad)):
        with np.errstate(invalid="ignore"):  # inf − inf
            assert not np.isfinite(MSEHead().forward(out, target))
    assert MSEHead.finite_loss_means_finite_outputs
    # not so for cross-entropy: a −inf logit of a class that is not the target
    logits = np.array([[0.0, -np.inf]], dtype="float32")
    assert np.isfinite(CrossEntropyHead().forward(logits, np.array([0])))
    assert not CrossEntropyHead.finite_loss_means_finite_outputs


def test_a_change_of_layers_rebuilds_the_plan(no_plan):
    model = nn.Sequential(nn.Linear(4, 5, seed=0), nn.Tanh(), nn.Linear(5, 2, seed=1))
    loss = nn.MSELoss()
    first = plan_for(model, loss)
    assert plan_for(model, loss) is first
    model.insert(2, nn.Linear(5, 5, seed=2))
    model.insert(3, nn.ReLU())
    second = plan_for(model, loss)
    assert second is not None and second is not first and len(second.steps) == 5
    model.append(nn.Dropout(0.5))
    assert plan_for(model, loss) is None
    del model[-1]
    assert plan_for(model, loss) is not None
    model[0].weight.data[...] = 0.5  # edited weights are read at the next call
    X, y = data("mse", "float32")
    y = y.astype("float32")
    plain = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 5), nn.ReLU(),
                          nn.Linear(5, 2))
    plain.load_state_dict(model.state_dict())
    t, t_plain = trainer(model, loss, "sgd"), trainer(plain, loss, "sgd")
    for _ in range(3):
        assert t.train_step(X, y)[0] == no_plan(t_plain.train_step, X, y)[0]
    assert_same_weights(model, plain)


def _hooked() -> nn.Sequential:
    model = mlp("float32", nn.Tanh, 2)
    model[1].register_forward_hook(lambda module, args, out: None)
    return model


def _frozen() -> nn.Sequential:
    model = mlp("float32", nn.Tanh, 2)
    model[0].bias.requires_grad = False
    return model


def _shared() -> nn.Sequential:
    layer = nn.Linear(4, 4, seed=0)
    return nn.Sequential(layer, nn.Tanh(), layer, nn.Tanh(), nn.Linear(4, 2, seed=1))


INELIGIBLE_MODELS = {
    "forward hook": _hooked,
    "model hook": lambda: _with_model_hook(mlp("float32", nn.Tanh, 2)),
    "dropout": lambda: nn.Sequential(nn.Linear(4, 5), nn.Dropout(0.3), nn.Linear(5, 2)),
    "batch norm": lambda: nn.Sequential(nn.Linear(4, 5), nn.BatchNorm1d(5), nn.Linear(5, 2)),
    "prelu": lambda: nn.Sequential(nn.Linear(4, 5), nn.PReLU(), nn.Linear(5, 2)),
    "activation first": lambda: nn.Sequential(nn.Tanh(), nn.Linear(4, 2)),
    "frozen parameter": _frozen,
    "shared parameter": _shared,
    "mixed dtypes": lambda: nn.Sequential(nn.Linear(4, 5), nn.Tanh(),
                                          nn.Linear(5, 2, dtype="float64")),
    "not a Sequential": lambda: nn.Linear(4, 2),
}


def _with_model_hook(model):
    model.register_forward_hook(lambda module, args, out: None)
    return model


@pytest.mark.parametrize("name", list(INELIGIBLE_MODELS))
def test_ineligible_models_keep_the_plain_path(name):
    assert plan_for(INELIGIBLE_MODELS[name](), nn.MSELoss()) is None


INELIGIBLE_LOSSES = {
    "L1": nn.L1Loss(), "Huber": nn.HuberLoss(), "sum": nn.MSELoss(reduction="sum"),
    "class weights": nn.CrossEntropyLoss(weight=np.ones(2)),
    "label smoothing": nn.CrossEntropyLoss(label_smoothing=0.1),
    "pos_weight": nn.BCEWithLogitsLoss(pos_weight=np.array([2.0])),
    "a function": lambda out, target: nn.MSELoss()(out, target) * 0.5,
}


@pytest.mark.parametrize("name", list(INELIGIBLE_LOSSES))
def test_ineligible_losses_keep_the_plain_path(name):
    assert plan_for(mlp("float32", nn.Tanh, 2), INELIGIBLE_LOSSES[name]) is None


def test_loss_settings_are_read_at_each_call():
    model, loss = mlp("float32", nn.Tanh, 2), nn.MSELoss()
    assert plan_for(model, loss) is not None
    loss.reduction = "sum"
    assert plan_for(model, loss) is None
    loss.reduction = "mean"
    assert plan_for(model, loss) is not None


def test_a_trainer_that_adds_loss_terms_keeps_the_plain_path(no_plan):
    from mlplab.runs.training import PenalizedTrainer

    X, y = data("mse", "float32")
    model = mlp("float32", nn.Tanh, 2)
    t = PenalizedTrainer(model, nn.MSELoss(), "sgd", l1=0.1, verbose=0)
    assert t._planned_backward(t.prepare_inputs(X), y) is None
    without = PenalizedTrainer(model, nn.MSELoss(), "sgd", l1=0.0, verbose=0)
    assert without._planned_backward(without.prepare_inputs(X), y) is not None


def test_soft_targets_and_sparse_inputs_take_the_plain_path(no_plan):
    from scipy import sparse

    rng = np.random.default_rng(3)
    X = rng.normal(size=(10, 4)).astype("float32")
    soft = rng.dirichlet(np.ones(3), size=10).astype("float32")
    a, b = mlp("float32", nn.ReLU, 3), mlp("float32", nn.ReLU, 3)
    t, t_plain = trainer(a, nn.CrossEntropyLoss()), trainer(b, nn.CrossEntropyLoss())
    plan = plan_for(a, t.loss)
    plan.forward(X)
    assert plan.loss(soft) is None
    for _ in range(2):
        assert t.train_step(X, soft)[0] == no_plan(t_plain.train_step, X, soft)[0]
    assert_same_weights(a, b)
    assert not plan.takes(sparse.csr_matrix(X)) and not plan.takes(X.astype("float64"))


def test_bad_targets_get_the_plain_paths_errors():
    t = trainer(mlp("float32", nn.ReLU, 3), nn.CrossEntropyLoss())
    X = np.zeros((4, 4), "float32")
    with pytest.raises(ValueError, match="out of range"):
        t.train_step(X, np.array([0, 1, 2, 3]))
    model = mlp("float32", nn.ReLU, 1)  # no sigmoid: outputs of 5, not probabilities
    model[-1].weight.data[...] = 0.0
    model[-1].bias.data[...] = 5.0
    with pytest.raises(ValueError, match="probabilities"):
        trainer(model, nn.BCELoss()).train_step(X, np.array([0, 1, 0, 1]))
