"""Issue 6 targets on real data: MNIST ≥ 0.98 and UCI Adult on par with scikit-learn.

Both use the shared datasets (``datasets_dir`` fails, never skips, when they are
missing). The settings are the cheapest found that pass with a margin over several
seeds; the test itself uses one fixed seed, so it is deterministic.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import mlplab as ml

nn = ml.nn
pytestmark = pytest.mark.slow


def test_mnist_784_256_128_10_relu_adam_reaches_098(datasets_dir):
    # Adam with a cosine-decayed step (3e-3 → 0) for 6 epochs at batch 128. Measured test
    # accuracy over seeds 0–2: 0.9830, 0.9829, 0.9835 (5 epochs: 0.9817–0.9829; constant
    # lr 1e-3 stays at 0.974–0.980 after 6 epochs, which is why the schedule is used).
    (X_train, y_train), (X_test, y_test) = ml.data.load_mnist(datasets_dir / "mnist")
    assert X_train.shape == (60000, 784) and X_test.shape == (10000, 784)
    epochs, batch_size = 6, 128
    steps = epochs * -(-len(X_train) // batch_size)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                          nn.Linear(128, 10))
    schedule = ml.optim.schedules.CosineDecay(3e-3, steps)
    trainer = ml.train.Trainer(model, nn.CrossEntropyLoss(),
                               ml.optim.Adam(model.parameters(), lr=schedule),
                               metrics=("accuracy",), seed=0, verbose=0)
    history = trainer.fit(X_train, y_train, epochs=epochs, batch_size=batch_size)

    losses = history.history["loss"]
    assert len(losses) == epochs and losses[-1] < 0.5 * losses[0]
    predicted = trainer.predict(X_test)
    accuracy = float(np.mean(predicted == y_test))
    assert accuracy >= 0.98, f"MNIST test accuracy {accuracy:.4f} < 0.98"
    # evaluate() and predict_proba() agree with predict() on the same data
    assert trainer.evaluate(X_test, y_test)["accuracy"] == pytest.approx(accuracy, abs=1e-6)
    proba = trainer.predict_proba(X_test[:500])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(proba.argmax(axis=1), predicted[:500])


def test_adult_mlp_matches_sklearn_mlpclassifier(datasets_dir):
    # The oracle is scikit-learn's MLPClassifier with its defaults (one hidden layer of 100
    # ReLU units, Adam lr 1e-3, batch 200) and early stopping on a 10 % dev split — without
    # early stopping it overfits (0.834–0.836 for seeds 0–2). Measured on this split:
    # scikit-learn 0.8530–0.8533 (runs differ in the last digit), 0.8503, 0.8515 (seeds
    # 0–2); mlplab below 0.8524, 0.8533, 0.8517, 0.8538 (seeds 0–3); logistic regression
    # 0.8527. The tolerance 0.005 is about 1.8
    # binomial standard errors of an accuracy near 0.85 on 16,281 test rows
    # (√(0.85·0.15/16281) ≈ 0.0028) and covers the seed-to-seed spread of both. A model that
    # learnt nothing would score the majority rate, 12,435/16,281 ≈ 0.764.
    from sklearn.neural_network import MLPClassifier

    train, test = ml.data.load_adult(datasets_dir / "uci_adult")
    assert train.X.shape[0] == 32561 and test.X.shape[0] == 16281
    assert train.X.shape[1] == test.X.shape[1]
    scaler = ml.data.Standardizer().fit(train.X)
    X_train, X_test = scaler.transform(train.X), scaler.transform(test.X)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = MLPClassifier(early_stopping=True, random_state=0).fit(X_train, train.y)
    sklearn_accuracy = reference.score(X_test, test.y)

    model = nn.Sequential(nn.Linear(X_train.shape[1], 100), nn.ReLU(), nn.Linear(100, 2))
    stop = ml.train.callbacks.EarlyStopping(monitor="val_loss", patience=3,
                                            restore_best_weights=True)
    trainer = ml.train.Trainer(model, nn.CrossEntropyLoss(),
                               ml.optim.Adam(model.parameters(), lr=1e-3),
                               callbacks=[stop], seed=0, verbose=0)
    trainer.fit(X_train, train.y, epochs=30, batch_size=128, validation_split=0.1)
    accuracy = float(np.mean(trainer.predict(X_test) == test.y))

    assert accuracy >= 0.845, f"Adult test accuracy {accuracy:.4f} < 0.845"
    assert accuracy >= sklearn_accuracy - 0.005, (
        f"Adult: mlplab {accuracy:.4f} vs scikit-learn MLPClassifier {sklearn_accuracy:.4f}")
