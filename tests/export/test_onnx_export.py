"""``ml.export.to_onnx``: the ONNX file run by onnxruntime gives mlplab's raw outputs."""

from __future__ import annotations

import json

import numpy as np
import onnx
import onnxruntime as ort
import pytest

import mlplab as ml
from mlplab.checks import ParameterError
from mlplab.data import MinMaxScaler, Standardizer, load_mnist
from mlplab.export import OPSETS, ExportError, to_onnx
from mlplab.text import TextClassifier

nn = ml.nn
DIGITS = [f"digit {d}" for d in range(10)]


def _run(path, X):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(["output"], {"input": X})[0]


@pytest.fixture(scope="module")
def mnist(datasets_dir):
    """A 784-64-10 ReLU network trained for one epoch on 20,000 MNIST images (pixels in [0, 1])."""
    (X, y), (X_test, y_test) = load_mnist(datasets_dir / "mnist")
    model = nn.Sequential(nn.Linear(784, 64, seed=0), nn.ReLU(), nn.Linear(64, 10, seed=1))
    trainer = ml.train.Trainer(model, nn.CrossEntropyLoss(), ml.optim.Adam(
        model.parameters(), lr=1e-3), seed=0, verbose=0)
    trainer.fit(X[:20000], y[:20000], epochs=1, batch_size=128)
    return trainer, X[:20000], X_test, y_test


def test_mnist_test_set_matches_predict_raw(mnist, tmp_path):
    trainer, _, X_test, y_test = mnist
    path = to_onnx(trainer, tmp_path / "mnist.onnx", class_names=DIGITS)
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto, full_check=True)
    out = _run(path, X_test)
    assert out.dtype == np.float32 and out.shape == (10000, 10)
    assert np.abs(out - trainer.predict_raw(X_test)).max() <= 1e-5
    assert (out.argmax(1) == y_test).mean() > 0.9  # it learned, and the file keeps that
    assert json.loads({p.key: p.value for p in proto.metadata_props}["class_names"]) == DIGITS


def _oracle(model, Z):
    """The 784-64-10 network in float64, and the float32 rounding error bound per output:
    a float32 dot product of n terms is off by at most about n·2⁻²⁴·Σ|wᵢxᵢ|."""
    w1, b1, w2, b2 = (np.asarray(p.data, dtype=np.float64) for p in model.parameters())
    Z = Z.astype(np.float64)
    exact = np.maximum(Z @ w1.T + b1, 0) @ w2.T + b2
    scale = (np.abs(Z) @ np.abs(w1).T + np.abs(b1)) @ np.abs(w2).T + np.abs(b2)
    return exact, scale


def test_the_standardizer_is_folded_in_as_the_first_nodes(mnist, tmp_path):
    """Raw pixels in, the file standardizes them. Pixels that are almost always 0 get a
    tiny σ, so standardized inputs reach ~3·10⁴ and float32 rounding (the same in mlplab)
    grows with them: the check is against float64, within float32's own error bound."""
    trainer, X, X_test, _ = mnist
    scaler = Standardizer().fit(X)
    path = to_onnx(trainer, tmp_path / "std.onnx", preprocessing=scaler)
    assert [n.op_type for n in onnx.load(str(path)).graph.node][:2] == ["Sub", "Div"]
    out = _run(path, X_test)
    exact, scale = _oracle(trainer.model, scaler.transform(X_test))
    assert np.all(np.abs(out - exact) <= 1e-6 * scale + 1e-6)
    mine = trainer.predict_raw(scaler.transform(X_test))
    assert np.all(np.abs(mine - exact) <= 1e-6 * scale + 1e-6)  # mlplab is no closer
    assert (out.argmax(1) == mine.argmax(1)).mean() > 0.999


def test_without_preprocessing_the_file_takes_the_networks_inputs(mnist, tmp_path):
    trainer, _, X_test, _ = mnist
    path = to_onnx(trainer.model, tmp_path / "net.onnx", preprocessing=False)
    assert [n.op_type for n in onnx.load(str(path)).graph.node] == ["Gemm", "Relu", "Gemm"]
    assert np.abs(_run(path, X_test[:500]) - trainer.predict_raw(X_test[:500])).max() <= 1e-5


def every_layer_model(dtype="float32"):
    """Every layer to_onnx writes, with non-trivial weights and running statistics."""
    model = nn.Sequential(
        nn.Linear(6, 8, seed=0, dtype=dtype), nn.BatchNorm1d(8, dtype=dtype), nn.ReLU(),
        nn.Dropout(0.3, seed=1), nn.Linear(8, 8, seed=2, dtype=dtype),
        nn.LayerNorm(8, dtype=dtype), nn.PReLU(8, dtype=dtype), nn.GaussianNoise(0.1, seed=3),
        nn.Maxout(8, 6, pieces=3, seed=4, dtype=dtype), nn.ELU(0.7), nn.LeakyReLU(0.05),
        nn.RReLU(0.1, 0.3, seed=5), nn.Sigmoid(), nn.Linear(6, 6, seed=6, dtype=dtype),
        nn.Tanh(), nn.Identity(), nn.Softmax(dim=1),
        nn.Sequential(nn.Linear(6, 5, seed=7, dtype=dtype), nn.LayerNorm(5, bias=False,
                                                                        dtype=dtype)))
    rng = np.random.default_rng(0)
    for name, param in model.named_parameters():
        if "1." in name[:2] or "5." in name[:2] or "6." in name[:2] or "17." in name:
            param.data[...] = rng.uniform(0.5, 1.5, param.data.shape)  # γ, β, PReLU slopes
    model.train()
    for _ in range(3):  # running statistics away from (0, 1)
        model(ml.tensor(rng.normal(2.0, 3.0, (32, 6)).astype(dtype)))
    return model.eval()


@pytest.mark.parametrize("opset", OPSETS)
def test_every_layer_matches_at_every_opset(opset, tmp_path):
    model = every_layer_model()
    X = np.random.default_rng(1).normal(1.0, 2.0, (256, 6)).astype(np.float32)
    path = to_onnx(model, tmp_path / "all.onnx", opset=opset)
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto, full_check=True)
    assert proto.opset_import[0].version == opset
    with ml.no_grad():
        expected = model(ml.tensor(X)).data
    assert np.abs(_run(path, X) - expected).max() <= 1e-5


def test_float64_export_matches_closely(tmp_path):
    """17 layers deep, with two normalizations that amplify rounding: still ~1e-11."""
    model = every_layer_model("float64")
    X = np.random.default_rng(2).normal(size=(64, 6))
    path = to_onnx(model, tmp_path / "all64.onnx", dtype="float64")
    with ml.no_grad():
        expected = model(ml.tensor(X)).data
    assert np.abs(_run(path, X) - expected).max() <= 1e-10


@pytest.mark.parametrize("kind", [Standardizer, MinMaxScaler])
def test_a_scaler_of_well_scaled_features_matches_to_1e_5(kind, tmp_path):
    rng = np.random.default_rng(3)
    X = rng.uniform(-50, 80, (100, 4)).astype(np.float32)
    scaler = kind().fit(X)
    model = nn.Sequential(nn.Linear(4, 3, seed=0), nn.Tanh(), nn.Linear(3, 2, seed=1))
    path = to_onnx(model, tmp_path / "mm.onnx", preprocessing=scaler)
    with ml.no_grad():
        expected = model(ml.tensor(scaler.transform(X))).data
    assert np.abs(_run(path, X) - expected).max() <= 1e-5


@ml.io.register_module
class Doubler(nn.Module):
    def forward(self, x):
        return x * 2


def _one_line(excinfo) -> str:
    message = str(excinfo.value)
    assert "\n" not in message and len(message) < 400
    return message


@pytest.mark.parametrize("layer, named", [
    (Doubler(), "model[1] (Doubler)"),
    (nn.BatchNorm1d(3, track_running_stats=False), "track_running_stats=True"),
])
def test_an_unexportable_layer_is_named_in_one_line_and_nothing_is_written(
        layer, named, tmp_path):
    model = nn.Sequential(nn.Linear(2, 3, seed=0), layer, nn.Linear(3, 1, seed=1)).eval()
    with pytest.raises(ExportError) as excinfo:
        to_onnx(model, tmp_path / "bad.onnx")
    assert named in _one_line(excinfo) and "model[1]" in str(excinfo.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kwargs, named", [
    ({"opset": 12}, "opset must be one of 13"),
    ({"dtype": "float16"}, "dtype must be one of"),
    ({"preprocessing": "yes"}, "preprocessing must be True, False or a fitted"),
    ({"preprocessing": Standardizer()}, "is not fitted"),
    ({"class_names": ["a", "b"]}, "class_names has 2 names but the model has 3 outputs"),
])
def test_bad_arguments_are_one_line(kwargs, named, tmp_path):
    model = nn.Sequential(nn.Linear(2, 3, seed=0))
    with pytest.raises(ParameterError) as excinfo:
        to_onnx(model, tmp_path / "x.onnx", **kwargs)
    assert named in _one_line(excinfo)


def test_a_model_that_is_not_one_is_refused(tmp_path):
    with pytest.raises(ParameterError) as excinfo:
        to_onnx(42, tmp_path / "x.onnx")
    assert "model must be an ml.nn module" in _one_line(excinfo)
    with pytest.raises(FileNotFoundError, match="model file not found"):
        to_onnx(tmp_path / "missing.safetensors", tmp_path / "x.onnx")


def test_a_text_model_exports_its_network_on_tfidf_vectors(tmp_path):
    texts = ["the match ended in a draw", "stocks fell sharply today", "a late goal won it",
             "the market rallied at the close", "the keeper saved a penalty",
             "bond yields rose again"] * 4
    labels = ["sport", "finance", "sport", "finance", "sport", "finance"] * 4
    clf = TextClassifier("mlp", hidden=8, epochs=2, seed=0).fit(texts, labels)
    path = to_onnx(clf, tmp_path / "text.onnx")
    props = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    assert json.loads(props["class_names"]) == clf.class_names == ["finance", "sport"]
    assert "TF-IDF" in props["input"]
    X = clf.vectorizer.transform(["a goal in the match", "stocks and bonds"]).toarray()
    X = X.astype(np.float32)
    assert np.abs(_run(path, X) - clf.decision_function(
        ["a goal in the match", "stocks and bonds"])).max() <= 1e-5
