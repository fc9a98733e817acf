"""A small builder for an ONNX graph: constants, nodes and fresh tensor names.

Only this module and :mod:`mlplab.export.onnx_layers` touch the ``onnx`` package, and
only :func:`mlplab.export.to_onnx` imports them, so ``import mlplab`` never needs onnx.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from onnx import TensorProto, helper, numpy_helper

ONNX_TYPES = {"float32": TensorProto.FLOAT, "float64": TensorProto.DOUBLE}


class GraphBuilder:
    """Collects the nodes and initializers (weights) of one graph, in execution order.

    ``opset`` decides the form of version-dependent operators (e.g. ReduceMax takes
    its axes as an attribute before opset 18 and as an input from 18 on).
    """

    def __init__(self, opset: int, dtype: str) -> None:
        self.opset = opset
        self.dtype = np.dtype(dtype)
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._count = 0

    def fresh(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def const(self, hint: str, value: Any, dtype: Any = None) -> str:
        """An initializer holding ``value`` (in the graph's float type unless ``dtype``)."""
        array = np.asarray(value, dtype=self.dtype if dtype is None else dtype)
        name = self.fresh(hint)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(self, op: str, inputs: list[str], hint: str, **attrs: Any) -> str:
        """Append ``op(inputs)`` and return the name of its (single) output."""
        out = self.fresh(hint)
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def reduce(self, op: str, x: str, axes: list[int], hint: str, keepdims: int) -> str:
        """ReduceMean/ReduceMax over ``axes``, in the form ``self.opset`` expects."""
        if self.opset >= 18:
            return self.node(op, [x, self.const("axes", axes, np.int64)], hint,
                             keepdims=keepdims)
        return self.node(op, [x], hint, axes=axes, keepdims=keepdims)

    def finish(self, x: str, output: str) -> None:
        """Route the last tensor ``x`` to the graph output named ``output``."""
        if self.nodes and self.nodes[-1].output[0] == x:
            self.nodes[-1].output[0] = output
            self.nodes[-1].name = output
        else:  # the input itself (an all-identity model) or a constant
            self.nodes.append(helper.make_node("Identity", [x], [output], name=output))
