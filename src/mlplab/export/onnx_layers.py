"""Each mlplab layer (in evaluation mode) written as ONNX operators.

Layer by layer, with x the incoming tensor of shape (N, features):

    Linear          Gemm: y = x Wᵀ + b                      (transB = 1)
    Maxout          Gemm, Reshape to (N, units, pieces), ReduceMax over the pieces
    ReLU, Sigmoid, Tanh, Softmax(dim), ELU(α), LeakyReLU(λ): the operator of that name
    PReLU           PRelu with the learned slopes
    RReLU           LeakyRelu with the evaluation slope (lower + upper)/2
    (float64 files spell ELU, LeakyReLU and PReLU out, see ``_native``)
    BatchNorm1d     BatchNormalization with the running mean and variance
    LayerNorm       LayerNormalization (opset ≥ 17); before 17 spelled out:
                    y = γ (x − μ)/√(σ² + ε) + β with ReduceMean
    Dropout, GaussianNoise, Identity: nothing (they are the identity in evaluation)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import mlplab.nn as nn
from mlplab.export.errors import ExportError
from mlplab.export.onnx_graph import GraphBuilder


def _data(param: Any) -> np.ndarray:
    return np.asarray(param.data)


def _linear(g: GraphBuilder, layer: Any, x: str) -> str:
    inputs = [x, g.const("weight", _data(layer.weight))]
    if layer.bias is not None:
        inputs.append(g.const("bias", _data(layer.bias)))
    return g.node("Gemm", inputs, "linear", transB=1)


def _maxout(g: GraphBuilder, layer: Any, x: str) -> str:
    z = _linear(g, layer, x)  # rows j·pieces + k: piece k of unit j
    shape = g.const("shape", [-1, layer.out_features, layer.pieces], np.int64)
    pieces = g.node("Reshape", [z, shape], "pieces")
    return g.reduce("ReduceMax", pieces, [2], "maxout", keepdims=0)


# onnxruntime has no float64 kernels for Elu, and none for LeakyRelu or PRelu before
# opset 16, so in float64 these are spelled out with operators that have them:
#   leaky(x; a) = Relu(x) − a·Relu(−x)        elu(x; α) = Relu(x) + α(exp(min(x, 0)) − 1)
def _native(g: GraphBuilder, op: str) -> bool:
    return g.dtype != np.float64 or (op != "Elu" and g.opset >= 16)


def _leaky(g: GraphBuilder, x: str, slope: Any, hint: str) -> str:
    if _native(g, "PRelu"):
        return g.node("PRelu", [x, g.const("slope", slope)], hint)
    negative = g.node("Relu", [g.node("Neg", [x], "minus")], "negative_part")
    scaled = g.node("Mul", [negative, g.const("slope", slope)], "negative_scaled")
    return g.node("Sub", [g.node("Relu", [x], "positive_part"), scaled], hint)


def _prelu(g: GraphBuilder, layer: Any, x: str) -> str:
    return _leaky(g, x, _data(layer.weight), "prelu")


def _leaky_relu(g: GraphBuilder, layer: Any, x: str) -> str:
    slope = layer.negative_slope if type(layer) is nn.LeakyReLU else (layer.lower +
                                                                       layer.upper) / 2
    if _native(g, "LeakyRelu"):
        return g.node("LeakyRelu", [x], "leakyrelu", alpha=float(slope))
    return _leaky(g, x, slope, "leakyrelu")


def _elu(g: GraphBuilder, layer: Any, x: str) -> str:
    if _native(g, "Elu"):
        return g.node("Elu", [x], "elu", alpha=float(layer.alpha))
    below = g.node("Exp", [g.node("Min", [x, g.const("zero", 0.0)], "below")], "exp")
    curve = g.node("Mul", [g.node("Sub", [below, g.const("one", 1.0)], "expm1"),
                           g.const("alpha", layer.alpha)], "curve")
    return g.node("Add", [g.node("Relu", [x], "positive_part"), curve], "elu")


def _batch_norm(g: GraphBuilder, layer: Any, x: str) -> str:
    if not layer.track_running_stats:
        raise ExportError(f"{layer!r} keeps no running statistics, so it normalizes with "
                          "each batch's own; export needs track_running_stats=True")
    c = layer.num_features
    scale = _data(layer.weight) if layer.weight is not None else np.ones(c)
    shift = _data(layer.bias) if layer.bias is not None else np.zeros(c)
    inputs = [g.const("gamma", scale), g.const("beta", shift),
              g.const("mean", layer.running_mean), g.const("var", layer.running_var)]
    return g.node("BatchNormalization", [x, *inputs], "batchnorm", epsilon=float(layer.eps))


def _layer_norm(g: GraphBuilder, layer: Any, x: str) -> str:
    shape = layer.normalized_shape
    gamma = _data(layer.weight) if layer.weight is not None else np.ones(shape)
    beta = _data(layer.bias) if layer.bias is not None else np.zeros(shape)
    if g.opset >= 17:
        return g.node("LayerNormalization", [x, g.const("gamma", gamma), g.const("beta", beta)],
                      "layernorm", axis=-len(shape), epsilon=float(layer.eps))
    axes = list(range(-len(shape), 0))
    mean = g.reduce("ReduceMean", x, axes, "mean", keepdims=1)
    centred = g.node("Sub", [x, mean], "centred")
    var = g.reduce("ReduceMean", g.node("Mul", [centred, centred], "square"), axes, "var",
                   keepdims=1)
    std = g.node("Sqrt", [g.node("Add", [var, g.const("eps", layer.eps)], "var_eps")], "std")
    normed = g.node("Div", [centred, std], "normed")
    return g.node("Add", [g.node("Mul", [normed, g.const("gamma", gamma)], "scaled"),
                          g.const("beta", beta)], "layernorm")


def _simple(op: str, **attrs: Callable[[Any], Any]) -> Callable[[GraphBuilder, Any, str], str]:
    """An emitter for a one-operator activation; ``attrs`` read the layer's arguments."""
    def emit(g: GraphBuilder, layer: Any, x: str) -> str:
        values = {name: read(layer) for name, read in attrs.items()}
        return g.node(op, [x], op.lower(), **values)
    return emit


def _identity(g: GraphBuilder, layer: Any, x: str) -> str:
    return x


EMITTERS: dict[type, Callable[[GraphBuilder, Any, str], str]] = {
    nn.Linear: _linear,
    nn.Maxout: _maxout,
    nn.ReLU: _simple("Relu"),
    nn.Sigmoid: _simple("Sigmoid"),
    nn.Tanh: _simple("Tanh"),
    nn.Softmax: _simple("Softmax", axis=lambda layer: int(layer.dim)),
    nn.ELU: _elu,
    nn.LeakyReLU: _leaky_relu,
    nn.RReLU: _leaky_relu,
    nn.PReLU: _prelu,
    nn.BatchNorm1d: _batch_norm,
    nn.LayerNorm: _layer_norm,
    nn.Dropout: _identity,
    nn.GaussianNoise: _identity,
    nn.Identity: _identity,
}
"""The layers ``to_onnx`` writes, by exact class (a subclass may compute something else)."""


def emit_module(g: GraphBuilder, module: Any, x: str, where: str = "model") -> str:
    """Append ``module``'s operators after tensor ``x``; return the output tensor's name."""
    if type(module) is nn.Sequential:
        for i, child in enumerate(module):
            x = emit_module(g, child, x, f"{where}[{i}]")
        return x
    emitter = EMITTERS.get(type(module))
    if emitter is None:
        names = ", ".join(sorted(["Sequential", *(cls.__name__ for cls in EMITTERS)]))
        raise ExportError(f"to_onnx: cannot export layer {where} ({type(module).__name__}): "
                          f"ONNX export knows {names}")
    try:
        return emitter(g, module, x)
    except ExportError as err:
        raise ExportError(f"to_onnx: cannot export layer {where}: {err}") from None
