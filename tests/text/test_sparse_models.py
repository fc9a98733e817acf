"""Softmax regression and the text MLP on sparse rows: the notes' gradients, and no densifying."""

from __future__ import annotations

import importlib
import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp
import torch

import mlplab as ml
from mlplab.text import TextClassifier, softmax_regression, text_mlp
from tests.text.toy import toy_corpus

linear_module = importlib.import_module("mlplab.nn.functional.linear")


def random_csr(n, d, density, seed):
    rng = np.random.default_rng(seed)
    X = sp.random(n, d, density=density, format="csr", random_state=rng, dtype=np.float64)
    return X


def test_softmax_regression_gradient_is_the_notes_dZ():
    # z = W x + b, a = softmax(z), L = −Σ y log a (mean over m rows): dZ = (A − Y) / m,
    # dW = dZᵀ X, db = Σ_rows dZ — computed here in NumPy from a dense copy of X.
    m, d, k = 7, 30, 4
    X = random_csr(m, d, 0.2, seed=0)
    y = np.array([0, 1, 2, 3, 1, 2, 0])
    with ml.default_dtype("float64"):
        model = softmax_regression(d, k)
    rng = np.random.default_rng(1)
    model[0].weight.data[...] = rng.normal(size=(k, d))
    model[0].bias.data[...] = rng.normal(size=k)
    loss = ml.nn.CrossEntropyLoss()(model(ml.Tensor(X)), ml.Tensor(y))
    loss.backward()

    Xd = X.toarray()
    Z = Xd @ model[0].weight.data.T + model[0].bias.data
    A = np.exp(Z - Z.max(1, keepdims=True))
    A /= A.sum(1, keepdims=True)
    Y = np.eye(k)[y]
    dZ = (A - Y) / m
    assert float(loss.data) == pytest.approx(-(Y * np.log(A)).sum() / m, rel=1e-12)
    np.testing.assert_allclose(model[0].weight.grad, dZ.T @ Xd, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(model[0].bias.grad, dZ.sum(0), rtol=1e-10, atol=1e-14)


def test_mlp_on_sparse_rows_matches_pytorch_dense():
    m, d, h, k = 9, 40, 6, 3
    X = random_csr(m, d, 0.15, seed=2)
    y = np.array([0, 1, 2, 0, 1, 2, 2, 1, 0])
    with ml.default_dtype("float64"):
        model = text_mlp(d, k, hidden=h, dropout=0.5, seed=3)
    model.eval()  # dropout off: a deterministic function to compare
    loss = ml.nn.CrossEntropyLoss()(model(ml.Tensor(X)), ml.Tensor(y))
    loss.backward()

    W1, b1 = (torch.tensor(p.data, requires_grad=True) for p in (model[0].weight, model[0].bias))
    W2, b2 = (torch.tensor(p.data, requires_grad=True) for p in (model[3].weight, model[3].bias))
    z = torch.relu(torch.tensor(X.toarray()) @ W1.T + b1) @ W2.T + b2
    ref = torch.nn.functional.cross_entropy(z, torch.tensor(y))
    ref.backward()
    assert float(loss.data) == pytest.approx(ref.item(), rel=1e-12)
    for ours, theirs in [(model[0].weight, W1), (model[0].bias, b1), (model[3].weight, W2),
                         (model[3].bias, b2)]:
        np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-9, atol=1e-13)


@pytest.mark.parametrize("model", ["softmax", "mlp"])
def test_training_never_densifies_the_features(monkeypatch, model):
    seen = []
    original = linear_module.linear_op.forward

    def spy(x, w, b=None):
        if w.shape[1] > 100:  # the first layer: its input is the text features
            seen.append(type(x))
        return original(x, w, b)

    def refuse(self, *args, **kwargs):
        raise AssertionError("a sparse feature matrix was densified")

    monkeypatch.setattr(linear_module.linear_op, "forward", spy)
    for cls in (sp.csr_matrix, sp.csc_matrix, sp.coo_matrix):
        monkeypatch.setattr(cls, "toarray", refuse)
        monkeypatch.setattr(cls, "todense", refuse)
    texts, labels = toy_corpus()
    clf = TextClassifier(model, epochs=2, batch_size=32, seed=0).fit(texts, labels)
    clf.predict_proba(texts[:50])
    assert len(seen) >= 2 * (240 // 32) and all(t is sp.csr_matrix for t in seen)


def test_train_step_memory_is_far_below_a_dense_batch():
    # a batch of 1024 rows × 2¹⁷ hashed features would take 512 MiB dense in float32
    n, d = 1024, 2 ** 17
    X = random_csr(n, d, 30 / d, seed=4).astype(np.float32)
    y = np.arange(n) % 10
    model = softmax_regression(d, 10)
    trainer = ml.train.Trainer(model, ml.nn.CrossEntropyLoss(),
                               ml.optim.Adam(model.parameters(), lr=1e-2), seed=0, verbose=0)
    trainer.train_step(X[:8], y[:8])  # warm up: optimizer state allocated once
    tracemalloc.start()
    try:
        trainer.train_step(X, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    dense_bytes = n * d * 4
    # W, dW, Adam's scratch are 10 × 2¹⁷ floats (5 MiB each): a few of them, never n × d
    assert peak < dense_bytes / 10, f"peak {peak / 2**20:.1f} MiB"
