"""``to_onnx``: a trained model as an ONNX file that onnxruntime (or any ONNX runtime) serves.

The file holds one graph, ``input`` (batch, features) → ``output`` (batch, outputs):
the fitted input scaler first (x := (x − μ)/σ for a Standardizer), then the network's
layers in evaluation mode, giving the raw outputs ``Trainer.predict_raw`` gives
(logits for a classifier). Class names travel as the model's ``metadata_props``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mlplab.checks import InstanceOf, OneOf, ParameterError, check_all, optional
from mlplab.export.source import Exportable, exportable, fitted_scaler, scaler_affine

OPSETS = tuple(range(13, 22))
"""The opsets ``to_onnx`` can write (13: Softmax along one axis; 21: onnxruntime ≥ 1.18)."""

DEFAULT_OPSET = 17  # the first with LayerNormalization; onnxruntime ≥ 1.12 runs it


def _input_width(found: Exportable, scaler: Any) -> int | None:
    if scaler is not None:
        return int(scaler.n_features_in_)
    if found.input_width:
        return int(found.input_width)
    for name, param in found.network.named_parameters():
        if name.endswith("weight") and param.data.ndim == 2:
            return int(param.data.shape[1])
    return None


def _output_width(network: Any, width: int | None, dtype: str) -> int | None:
    import numpy as np

    from mlplab.autograd import Tensor, no_grad

    if width is None:
        return None
    was_training = network.training
    network.eval()
    try:
        with no_grad():
            return int(network(Tensor(np.zeros((1, width), dtype=dtype))).shape[-1])
    except Exception as err:  # noqa: BLE001 - any failure is the model's, named in one line
        raise ParameterError(f"to_onnx: the model does not run on inputs of {width} features "
                             f"({type(err).__name__}: {str(err)[:200]})") from None
    finally:
        network.train(was_training)


def _scaler_nodes(g: Any, scaler: Any, x: str) -> str:
    a, b, kind = scaler_affine(scaler)
    if kind == "standardize":
        return g.node("Div", [g.node("Sub", [x, g.const("mu", a)], "centred_input"),
                              g.const("sigma", b)], "standardized_input")
    return g.node("Add", [g.node("Mul", [x, g.const("scale", a)], "scaled_input"),
                          g.const("shift", b)], "minmax_input")


def _metadata(found: Exportable, class_names: list[str] | None, scaler: Any) -> dict[str, str]:
    from mlplab.version import __version__

    output = ("standardized values: value = target_mean + target_std · output"
              if "target_mean" in found.notes else "raw network outputs (logits for a "
              "classifier: softmax gives the class probabilities)")
    props = {"mlplab_version": __version__, "output": output, **found.notes}
    if class_names:
        props["class_names"] = json.dumps(class_names, ensure_ascii=False)
    if scaler is not None:
        props["preprocessing"] = f"{type(scaler).__name__} folded in as the first nodes"
    return props


def _check_names(class_names: Any, outputs: int | None) -> list[str] | None:
    if class_names is None:
        return None
    names = [str(n) for n in class_names]
    if outputs is not None and outputs > 1 and len(names) != outputs:
        raise ParameterError(f"to_onnx: class_names has {len(names)} names but the model has "
                             f"{outputs} outputs; give one name per output")
    return names


def to_onnx(model: Any, path: str | Path, *, preprocessing: Any = True, opset: int | None = None,
            class_names: Any = None, dtype: str = "float32") -> Path:
    """Write ``model`` to ``path`` as an ONNX model, checked with ``onnx.checker``.

    Args:
        model: an ``ml.nn`` module (Sequential of the layers in :data:`EMITTERS`), a
            ``Trainer``, a ``TextClassifier``, a run model (``mlplab.runs.load_trained``),
            or the path of a saved model file or run folder.
        path: the ``.onnx`` file to write (atomically).
        preprocessing: True folds the model's saved scaler (a run's Standardizer) in as
            the first nodes; False leaves it out; a fitted ``Standardizer`` or
            ``MinMaxScaler`` folds that one in.
        opset: the ONNX opset, one of 13–21 (default 17).
        class_names: names of the outputs, stored in ``metadata_props["class_names"]``
            as JSON (default: the model's own, when it has them).
        dtype: 'float32' (default) or 'float64', the type of the input, weights and output.

    Returns the path written. A layer with no ONNX form raises ``ExportError`` naming it.
    """
    import onnx
    from onnx import helper

    from mlplab.export.onnx_graph import ONNX_TYPES, GraphBuilder
    from mlplab.export.onnx_layers import emit_module
    from mlplab.io.atomic import write_atomic

    check_all("to_onnx", {"path": path, "opset": opset, "dtype": dtype}, {
        "path": InstanceOf((str, Path), "a file path", "'model.onnx'"),
        "opset": optional(OneOf(OPSETS)), "dtype": OneOf(tuple(ONNX_TYPES))})
    opset = DEFAULT_OPSET if opset is None else int(opset)
    found = exportable(model, "to_onnx")
    scaler = fitted_scaler(preprocessing, found, "to_onnx")
    width = _input_width(found, scaler)
    g = GraphBuilder(opset, dtype)  # first, so that a layer it cannot write is named first
    x = _scaler_nodes(g, scaler, "input") if scaler is not None else "input"
    g.finish(emit_module(g, found.network, x), "output")
    outputs = _output_width(found.network, width, dtype)
    names = _check_names(found.class_names if class_names is None else class_names, outputs)
    kind = ONNX_TYPES[dtype]
    graph = helper.make_graph(
        g.nodes, "mlplab_model",
        [helper.make_tensor_value_info("input", kind, ["batch", width or "features"])],
        [helper.make_tensor_value_info("output", kind, ["batch", outputs or "outputs"])],
        g.initializers)
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="mlplab", ir_version=_ir_version(opset))
    helper.set_model_props(proto, _metadata(found, names, scaler))
    onnx.checker.check_model(proto, full_check=True)
    return write_atomic(path, proto.SerializeToString())


def _ir_version(opset: int) -> int:
    """The IR version that goes with ``opset`` (older runtimes refuse newer IR versions)."""
    from onnx import helper

    for _, ir, op, *_ in helper.VERSION_TABLE:
        if op == opset:
            return int(ir)
    return 8  # pragma: no cover - every opset in OPSETS is in the table
