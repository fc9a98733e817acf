"""Plots: each renders to a valid PNG and SVG, and shows what it claims to show."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread  # the viz extra: installed with mlplab[test]
from matplotlib.text import Text

from mlplab import viz
from mlplab.train.metrics import confusion_matrix

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _check_png(path: Path) -> np.ndarray:
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    img = imread(path)
    assert img.ndim == 3 and img.shape[0] > 150 and img.shape[1] > 150, img.shape
    assert img[..., :3].std() > 0.02  # not a blank canvas
    return img


def _check_svg(path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")
    assert len(list(root.iter())) > 50  # it draws something


def _texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(Text))


# ------------------------------------------------------- histories (the bias/variance table)
def _history(train_err: list[float], dev_err: list[float]) -> dict[str, list[float]]:
    train, dev = np.asarray(train_err), np.asarray(dev_err)
    return {"loss": list(train * 2), "val_loss": list(dev * 2), "accuracy": list(1 - train),
            "val_accuracy": list(1 - dev), "lr": [0.1 * 0.9**i for i in range(len(train))]}


OVERFIT = _history([0.30, 0.10, 0.03, 0.01], [0.32, 0.15, 0.12, 0.11])  # 1% / 11%
UNDERFIT = _history([0.40, 0.20, 0.16, 0.15], [0.41, 0.21, 0.17, 0.16])  # 15% / 16%


@pytest.mark.parametrize(
    ("train", "dev", "bias", "variance"),
    [(0.01, 0.11, False, True), (0.15, 0.16, True, False), (0.15, 0.30, True, True),
     (0.005, 0.01, False, False)],
)
def test_bias_variance_reading_follows_the_table(train, dev, bias, variance):
    reading = viz.bias_variance_reading(_history([0.5, train], [0.5, dev]))
    assert (reading.high_bias, reading.high_variance) == (bias, variance)
    assert reading.source == "accuracy"
    assert reading.train_error == pytest.approx(train) and reading.dev_error == pytest.approx(dev)
    assert ("high bias" in reading.text) is bias
    assert ("high variance" in reading.text) is variance
    if not (bias or variance):
        assert "low bias, low variance" in reading.text


def test_baseline_turns_unavoidable_error_into_low_bias():
    # a hard task where even people err 14% of the time: 15% train error is fine
    assert viz.bias_variance_reading(UNDERFIT, baseline=0.14).high_bias is False


def test_loss_only_reading():
    overfit = {"loss": [1.0, 0.3, 0.05, 0.01], "val_loss": [1.0, 0.5, 0.6, 0.8]}
    underfit = {"loss": [0.70, 0.69, 0.69], "val_loss": [0.71, 0.70, 0.70]}
    r = viz.bias_variance_reading(overfit)
    assert (r.high_bias, r.high_variance, r.source) == (False, True, "loss")
    r = viz.bias_variance_reading(underfit)
    assert (r.high_bias, r.high_variance) == (True, False)
    r = viz.bias_variance_reading({"loss": [1.0, 0.1]})
    assert r.high_variance is None and "no dev curve" in r.text


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_learning_curves_render_and_state_the_reading(tmp_path, suffix):
    path = tmp_path / "runs" / f"overfit{suffix}"  # parent folder is created
    fig = viz.plot_learning_curves(OVERFIT, metrics=("loss", "accuracy", "lr"), path=path,
                                   title="overfitting")
    _check_png(path) if suffix == ".png" else _check_svg(path)
    text = _texts(fig)
    assert "high variance" in text and "high bias" not in text
    assert "overfitting" in text and "best dev (epoch 4)" in text
    assert len([ax for ax in fig.axes if ax.has_data()]) == 3
    assert fig.axes[2].get_yscale() == "log"  # the learning rate

    class Result:  # what Trainer.fit returns: an object with a .history dict
        history = UNDERFIT

    text = _texts(viz.plot_learning_curves(Result(), metrics="accuracy"))
    assert "high bias" in text and "high variance" not in text and "underfitting" in text


def test_learning_curves_plot_the_recorded_values():
    fig = viz.plot_learning_curves(OVERFIT, metrics=("loss",), annotate=False)
    train, dev = fig.axes[0].get_lines()[:2]
    np.testing.assert_allclose(train.get_ydata(), OVERFIT["loss"])
    np.testing.assert_allclose(dev.get_ydata(), OVERFIT["val_loss"])
    np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3, 4])
    assert "high" not in _texts(fig)


@pytest.mark.parametrize("epochs", [2, 3, 7])
def test_learning_curves_tick_whole_epochs(epochs):
    # a short run would otherwise get ticks at epoch 1.25, 1.5, ...
    history = {"loss": np.linspace(1.0, 0.5, epochs).tolist(), "lr": [0.1] * epochs}
    for fig in (viz.plot_learning_curves(history, metrics=("loss", "lr"), annotate=False),
                viz.plot_curves({"sgd": history["loss"], "adam": history["loss"][::-1]})):
        fig.canvas.draw()
        for ax in (a for a in fig.axes if a.has_data()):
            low, high = ax.get_xlim()
            ticks = [t for t in ax.get_xticks() if low <= t <= high]
            assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks


def test_learning_curve_errors():
    with pytest.raises(ValueError, match="did you mean 'accuracy'"):
        viz.plot_learning_curves(OVERFIT, metrics=("acuracy",))
    with pytest.raises(TypeError, match="dict of per-epoch lists"):
        viz.plot_learning_curves([0.1, 0.2])
    with pytest.raises(ValueError, match="no values recorded"):
        viz.plot_learning_curves({"loss": []})
    with pytest.raises(ValueError, match="at least one History key"):
        viz.plot_learning_curves(OVERFIT, metrics=())


# ---------------------------------------------------------------- decision boundary
def _half_plane_data(n: int = 60, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return X, (X[:, 0] > 0).astype(int)


def _region_colors(fig, img: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Median RGB of a vertical strip at 1/4 and at 3/4 of the main axes' width."""
    box = fig.axes[0].get_window_extent()
    h = img.shape[0]
    rows = slice(int(h - box.y1) + 3, int(h - box.y0) - 3)
    strips = [img[rows, int(box.x0 + f * box.width), :3] for f in (0.25, 0.75)]
    return tuple(np.median(s, axis=0) for s in strips)


def test_decision_boundary_colors_both_regions(tmp_path):
    X, y = _half_plane_data()
    path = tmp_path / "boundary.png"
    fig = viz.plot_decision_boundary(lambda G: G[:, 0] > 0, X, y, path=path, resolution=100)
    left, right = _region_colors(fig, _check_png(path))
    assert np.abs(left - right).max() > 0.2, (left, right)
    # each region is tinted with its own class color (blue-ish tab:blue, orange tab:orange)
    assert left[2] > left[0] and right[0] > right[2]
    viz.plot_decision_boundary(lambda G: G[:, 0] > 0, X, y, path=tmp_path / "b.svg",
                               resolution=50)
    _check_svg(tmp_path / "b.svg")


def test_decision_boundary_accepts_models_with_predict_proba_and_predict(tmp_path):
    X, y = _half_plane_data()
    X = X.astype(np.float32)
    seen = {}

    class Logistic:  # p(class 1) = σ(5 x₁), as two columns
        def predict_proba(self, G):
            seen["dtype"], seen["shape"] = G.dtype, G.shape
            p = 1 / (1 + np.exp(-5 * G[:, 0]))
            return np.column_stack([1 - p, p])

    class ThreeBands:  # labels 0 | 1 | 2 by x₁
        def predict(self, G):
            return np.digitize(G[:, 0], [-0.33, 0.33])

    path = tmp_path / "proba.png"
    fig = viz.plot_decision_boundary(Logistic(), X, y, path=path, resolution=64)
    assert seen == {"dtype": np.float32, "shape": (64 * 64, 2)}
    left, right = _region_colors(fig, _check_png(path))
    assert left[2] > left[0] and right[0] > right[2]  # blue where p < 0.5, red where p > 0.5
    assert any(ax.get_label() == "<colorbar>" for ax in fig.axes)

    fig = viz.plot_decision_boundary(ThreeBands(), X, np.digitize(X[:, 0], [-0.33, 0.33]),
                                     resolution=64, class_names=["a", "b", "c"])
    assert {"a", "b", "c"} <= set(_texts(fig).split("\n"))


def test_decision_boundary_errors():
    X, y = _half_plane_data()
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        viz.plot_decision_boundary(lambda G: G[:, 0] > 0, np.zeros((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="class ids"):
        viz.plot_decision_boundary(lambda G: G[:, 0] > 0, X, y[:-1])
    with pytest.raises(ValueError, match="for a grid of 100 points"):
        viz.plot_decision_boundary(lambda G: G[:5, 0] > 0, X, y, resolution=10)
    with pytest.raises(TypeError, match="predict_proba/predict"):
        viz.plot_decision_boundary(42, X, y)
    with pytest.raises(ValueError, match="resolution"):
        viz.plot_decision_boundary(lambda G: G[:, 0] > 0, X, y, resolution=1)


# ---------------------------------------------------------------- activation histograms
def _records(seed: int = 0) -> list[dict]:
    """Two steps × three tanh layers; later steps saturate more (bigger weights)."""
    rng = np.random.default_rng(seed)
    out = []
    for step in (0, 50):
        for layer in range(3):
            a = np.tanh(rng.normal(size=2000) * (1 + layer) * (1 + step / 25))
            counts, edges = np.histogram(a, bins=20)
            for kind, values in (("activation", a), ("gradient", 1 - a**2)):
                c, e = (counts, edges) if kind == "activation" else np.histogram(values, bins=20)
                out.append({"step": step, "layer": f"hidden{layer + 1}", "kind": kind,
                            "mean": float(values.mean()), "std": float(values.std()),
                            "dead_fraction": None,
                            "saturated_fraction": float(np.mean(np.abs(a) > 0.97)),
                            "hist_counts": c.tolist(), "hist_edges": e.tolist()})
    return out


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_activation_histograms_render_latest_step_per_layer(tmp_path, suffix):
    records = _records()
    path = tmp_path / f"hist{suffix}"
    fig = viz.plot_activation_histograms(records, path=path)
    _check_png(path) if suffix == ".png" else _check_svg(path)
    drawn = [ax for ax in fig.axes if ax.patches]
    assert [ax.get_title() for ax in drawn] == ["hidden1", "hidden2", "hidden3"]
    latest = [r for r in records if r["step"] == 50 and r["kind"] == "activation"]
    for ax, rec in zip(drawn, latest, strict=True):
        values, edges, _ = ax.patches[0].get_data()
        np.testing.assert_array_equal(values, rec["hist_counts"])
        np.testing.assert_allclose(edges, rec["hist_edges"])
        assert f"saturated {rec['saturated_fraction']:.1%}" in ax.get_xlabel()
    assert "step 50" in _texts(fig)


def test_activation_histograms_step_and_kind():
    records = _records()
    fig = viz.plot_activation_histograms(records, kind="gradient", step=0)
    first = next(r for r in records if r["kind"] == "gradient" and r["step"] == 0)
    values = next(ax for ax in fig.axes if ax.patches).patches[0].get_data()[0]
    np.testing.assert_array_equal(values, first["hist_counts"])
    assert "gradient histograms per layer, step 0" in _texts(fig)


def test_activation_histogram_errors():
    records = _records()
    with pytest.raises(ValueError, match=r"recorded steps: \[0, 50\]"):
        viz.plot_activation_histograms(records, step=7)
    with pytest.raises(ValueError, match="kind"):
        viz.plot_activation_histograms(records, kind="weights")
    only_act = [r for r in records if r["kind"] == "activation"]
    with pytest.raises(ValueError, match="no 'gradient' records"):
        viz.plot_activation_histograms(only_act, kind="gradient")
    bad = dict(records[0], hist_edges=records[0]["hist_edges"][:-2])
    with pytest.raises(ValueError, match=r"records\[0\]: expected len\(hist_edges\)"):
        viz.plot_activation_histograms([bad])
    missing = {k: v for k, v in records[0].items() if k != "hist_counts"}
    with pytest.raises(ValueError, match=r"records\[0\]: missing key"):
        viz.plot_activation_histograms([missing])
    with pytest.raises(TypeError, match="list of dicts"):
        viz.plot_activation_histograms(records[0])


# ---------------------------------------------------------------- confusion matrix
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_confusion_matrix_renders_counts_and_normalized_rows(tmp_path, suffix):
    rng = np.random.default_rng(3)
    y = rng.integers(0, 4, 200)
    pred = np.where(rng.random(200) < 0.7, y, rng.integers(0, 4, 200))
    cm = confusion_matrix(y, pred)
    names = ["cat", "dog", "bird", "fish"]
    path = tmp_path / f"cm{suffix}"
    fig = viz.plot_confusion_matrix(cm, class_names=names, path=path)
    _check_png(path) if suffix == ".png" else _check_svg(path)
    cells = [t.get_text() for t in fig.axes[0].texts]
    assert cells == [str(v) for v in cm.ravel()]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == names

    fig = viz.plot_confusion_matrix(cm, normalize=True)
    shown = fig.axes[0].images[0].get_array()
    np.testing.assert_allclose(shown.sum(axis=1), 1.0)
    np.testing.assert_allclose(np.diag(shown), np.diag(cm) / cm.sum(axis=1))


def test_confusion_matrix_errors():
    with pytest.raises(ValueError, match="square"):
        viz.plot_confusion_matrix(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="expected 2 names"):
        viz.plot_confusion_matrix(np.eye(2), class_names=["a"])
    with pytest.raises(ValueError, match="normalize"):
        viz.plot_confusion_matrix(np.eye(2), normalize="rows")
    with pytest.raises(ValueError, match="non-negative"):
        viz.plot_confusion_matrix(-np.eye(2))


# ---------------------------------------------------------------- saving
def test_save_figure_is_atomic_and_checks_the_suffix(tmp_path):
    fig = viz.plot_confusion_matrix(np.eye(3) * 5)
    target = tmp_path / "deep" / "dir" / "cm.png"
    assert viz.save_figure(fig, target) == target
    before = target.read_bytes()
    _check_png(target)
    with pytest.raises(ValueError, match=r"ending in \.png or \.svg.*'cm\.png'"):
        viz.save_figure(fig, tmp_path / "cm.jpg")
    with pytest.raises(TypeError, match="matplotlib Figure"):
        viz.save_figure("not a figure", target)

    class Crashing:  # writes half a file, then fails: the old plot must survive intact
        def savefig(self, fname, **kwargs):
            Path(fname).write_bytes(b"\x89PNG half")
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        viz.save_figure(Crashing(), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["cm.png"]  # no temp left
    # permissions follow the umask like any new file (not a private temp file's 0600)
    plain = tmp_path / "plain"
    plain.write_bytes(b"")
    assert target.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
