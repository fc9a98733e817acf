"""``mlplab export onnx|torch``: a run's model out to onnxruntime and PyTorch, and back."""

from __future__ import annotations

import json

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
from typer.testing import CliRunner

from mlplab.cli import app
from mlplab.runs import load_trained

runner = CliRunner()


def _invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """A run trained by ``mlplab train`` on synthetic blobs, standardized inputs."""
    folder = tmp_path_factory.mktemp("export_cli")
    config = folder / "blobs.toml"
    config.write_text('data = "synthetic:gaussians,n=600"\nhidden = [16]\nepochs = 5\n'
                      'lr = 0.1\nname = "blobs"\n', encoding="utf-8")
    result = _invoke("train", "--config", config, "--output-dir", folder / "runs")
    assert result.exit_code == 0, result.output
    return folder / "runs" / "blobs"


def _inputs(trained):
    width = trained.preprocessor.input_width
    return np.random.default_rng(5).normal(1, 3, (200, width)).astype(np.float32)


def test_export_onnx_of_a_run_folder_predicts_what_the_run_predicts(run_dir, tmp_path):
    out = tmp_path / "blobs.onnx"
    result = _invoke("export", "onnx", run_dir, "--out", out, "--opset", 18)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    trained = load_trained(run_dir / "model.safetensors")
    proto = onnx.load(str(out))
    props = {p.key: p.value for p in proto.metadata_props}
    assert json.loads(props["class_names"]) == trained.class_names
    assert proto.opset_import[0].version == 18
    X = _inputs(trained)
    logits = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"]).run(
        None, {"input": X})[0]
    proba = np.exp(logits - logits.max(1, keepdims=True))
    proba /= proba.sum(1, keepdims=True)
    assert np.abs(proba - trained.predict_proba(X)).max() <= 1e-5


def _rebuild(description):
    """The PyTorch module an architecture describes, with PyTorch alone."""
    if description["type"] == "Sequential":
        return torch.nn.Sequential(*(_rebuild(layer) for layer in description["layers"]))
    return getattr(torch.nn, description["type"])(**description["args"])


def test_export_torch_writes_a_file_pytorch_alone_rebuilds(run_dir, tmp_path):
    out = tmp_path / "blobs.pt"
    result = _invoke("export", "torch", run_dir / "model.safetensors", "--out", out)
    assert result.exit_code == 0, result.output
    saved = torch.load(out)  # weights_only: plain tensors and text
    module = _rebuild(json.loads(saved["architecture"]))
    module.load_state_dict(saved["state_dict"])
    module.eval()
    trained = load_trained(run_dir / "model.safetensors")
    X, _ = trained.preprocessor.transform(trained.as_part(_inputs(trained)))
    with torch.no_grad():
        out_torch = module(torch.from_numpy(X)).numpy()
    assert np.abs(out_torch - trained.trainer().predict_raw(X)).max() <= 1e-5


@pytest.mark.parametrize("args, message", [
    (["--opset", "12"], "opset must be one of 13"),
    (["--opset", "17"], "model file not found"),
])
def test_bad_export_arguments_are_one_red_line(run_dir, tmp_path, args, message):
    model = run_dir if "12" in args else tmp_path / "none.safetensors"
    result = _invoke("export", "onnx", model, "--out", tmp_path / "x.onnx", *args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]
    assert not (tmp_path / "x.onnx").exists()
