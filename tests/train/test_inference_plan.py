"""The prepared inference plan behind ``predict``: the same outputs as the plain module
path, bit for bit, and never stale."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

import mlplab as ml
from mlplab.autograd.primitive import ShapeError
from mlplab.train.inference_plan import plan_for

nn = ml.nn


def every_layer_model(dtype: str) -> nn.Sequential:
    model = nn.Sequential(
        nn.Linear(6, 8, seed=0, dtype=dtype), nn.BatchNorm1d(8, dtype=dtype), nn.ReLU(),
        nn.Dropout(0.3, seed=1), nn.Linear(8, 8, seed=2, dtype=dtype), nn.Tanh(),
        nn.GaussianNoise(0.5, seed=3), nn.Linear(8, 8, seed=4, dtype=dtype), nn.Sigmoid(),
        nn.Linear(8, 8, seed=5, dtype=dtype), nn.LeakyReLU(0.2),
        nn.Linear(8, 8, seed=6, dtype=dtype), nn.ELU(0.7), nn.LayerNorm(8, dtype=dtype),
        nn.Linear(8, 8, seed=7, dtype=dtype), nn.PReLU(dtype=dtype), nn.Identity(),
        nn.Maxout(8, 4, pieces=2, seed=8, dtype=dtype), nn.Linear(4, 3, bias=False, seed=9,
                                                                   dtype=dtype))
    rng = np.random.default_rng(0)
    model[1].running_mean[...] = rng.normal(size=8)
    model[1].running_var[...] = rng.uniform(0.5, 2.0, size=8)
    return model


def plain_eval_forward(model, X):
    """The module path the plan replaces: eval mode, no graph, a Tensor per layer."""
    was_training = model.training
    model.eval()
    with ml.no_grad():
        out = model(ml.Tensor(X)).data
    model.train(was_training)
    return out


def trainer_for(model):
    return ml.train.Trainer(model, nn.CrossEntropyLoss(),
                            ml.optim.Adam(model.parameters(), lr=0.05), seed=0, verbose=0)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_plan_gives_the_plain_paths_outputs_bit_for_bit(dtype):
    model = every_layer_model(dtype)
    X = np.random.default_rng(1).normal(size=(5, 6)).astype(dtype)
    plan = plan_for(model)
    assert plan is not None and plan.takes(X)
    model.train()  # the plan computes evaluation mode whatever mode the model is in
    np.testing.assert_array_equal(plan(X), plain_eval_forward(model, X))
    assert model.training and all(m.training for m in model.modules())
    trainer = trainer_for(model)
    np.testing.assert_array_equal(trainer.predict_raw(X[:1]), plain_eval_forward(model, X[:1]))


def test_training_loading_and_casting_never_leave_it_stale():
    model = every_layer_model("float64")
    trainer = trainer_for(model)
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(40, 6)), rng.integers(0, 3, size=40)
    before = trainer.predict_raw(X[:1])
    trainer.fit(X, y, epochs=2, batch_size=8)  # in-place updates of every parameter
    after = trainer.predict_raw(X[:1])
    assert not np.array_equal(before, after)
    np.testing.assert_array_equal(after, plain_eval_forward(model, X[:1]))
    state = {k: v * 0.5 for k, v in model.state_dict().items()}
    model.load_state_dict(state)
    np.testing.assert_array_equal(trainer.predict_raw(X[:1]), plain_eval_forward(model, X[:1]))
    model.to("float32")
    out = trainer.predict_raw(X[:1])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, plain_eval_forward(model, X[:1].astype("float32")))


def test_a_changed_layer_list_rebuilds_the_plan():
    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.ReLU())
    first = plan_for(model)
    model.append(nn.Linear(4, 2, seed=1))
    second = plan_for(model)
    assert second is not first and len(second.layers) == 3
    X = np.ones((1, 3), dtype=model[0].weight.data.dtype)
    assert trainer_for(model).predict_raw(X).shape == (1, 2)


def test_forward_hooks_keep_the_plain_path_and_are_called():
    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.ReLU(), nn.Linear(4, 2, seed=1))
    seen = []
    model[1].register_forward_hook(lambda module, inputs, out: seen.append(out.shape))
    assert plan_for(model) is None
    trainer_for(model).predict(np.ones((1, 3)))
    assert seen == [(1, 4)]


def test_inputs_the_plan_does_not_take_go_the_plain_way():
    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.ReLU(), nn.Linear(4, 2, seed=1))
    trainer = trainer_for(model)
    plan = plan_for(model)
    assert not plan.takes(np.ones((1, 3), dtype=np.float64))  # model is float32: cast
    assert not plan.takes(sparse.csr_matrix(np.ones((1, 3), dtype=np.float32)))
    dense = trainer.predict_raw(np.ones((2, 3)))
    np.testing.assert_array_equal(trainer.predict_raw(sparse.csr_matrix(np.ones((2, 3)))), dense)
    with pytest.raises(ShapeError, match=r"got input of width 5 .*expected shape \(N, 3\)"):
        trainer.predict(np.ones((1, 5)))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_layer_outputs_are_each_layers_plain_output(dtype):
    """What the playground's heatmap and thumbnails read: every layer's output, equal to
    the module path's layer by layer (identity layers repeat their input)."""
    model = every_layer_model(dtype)
    X = np.random.default_rng(1).normal(size=(5, 6)).astype(dtype)
    outputs = plan_for(model).layer_outputs(X)
    model.eval()
    with ml.no_grad():
        a = ml.Tensor(X)
        for layer, got in zip(model, outputs, strict=True):
            a = layer(a)
            np.testing.assert_array_equal(got, a.data)
    np.testing.assert_array_equal(outputs[-1], plan_for(model)(X))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fused_linear_activation_steps_match_the_plain_path_bit_for_bit(dtype):
    """plan(x) runs each Linear with the ReLU or tanh after it (across layers that are the
    identity in evaluation, with or without a bias) as one step, in place."""
    model = nn.Sequential(
        nn.Linear(6, 16, seed=0, dtype=dtype), nn.Dropout(0.5, seed=1), nn.ReLU(),
        nn.Linear(16, 16, bias=False, seed=2, dtype=dtype), nn.Tanh(),
        nn.Linear(16, 8, seed=3, dtype=dtype), nn.Identity(), nn.Tanh(),
        nn.Linear(8, 3, seed=4, dtype=dtype))
    plan = plan_for(model)
    assert len(plan.steps) == 4  # three fused pairs and the last Linear
    X = np.random.default_rng(2).normal(size=(7, 6)).astype(dtype) * 3
    np.testing.assert_array_equal(plan(X), plain_eval_forward(model, X))
    assert plan(X) is not plan(X)  # a fresh array per call, never a shared buffer


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_predict_fast_path_still_rejects_nonfinite_inputs(bad):
    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.ReLU(), nn.Linear(4, 2, seed=1))
    trainer = trainer_for(model)
    X = np.ones((1, 3), dtype=np.float32)
    X[0, 2] = bad
    assert plan_for(model).takes(X)  # the serving shape and dtype: the fast path's case
    with pytest.raises(ValueError, match=r"X: found -?(nan|inf) at row 0, column 2"):
        trainer.predict(X)


def test_predict_fast_path_accepts_finite_inputs_whose_sum_overflows():
    model = nn.Sequential(nn.Linear(2, 2, seed=0))
    trainer = trainer_for(model)
    X = np.full((1, 2), np.finfo(np.float32).max, dtype=np.float32)
    with np.errstate(over="ignore"):
        expected = plain_eval_forward(model, X)
        np.testing.assert_array_equal(trainer.predict_raw(X), expected)
