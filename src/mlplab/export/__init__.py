"""``ml.export``: doors out of mlplab — an ONNX file for serving, a PyTorch twin for GPUs.

* :func:`to_onnx` writes a trained model (with its fitted Standardizer and class
  names) as an ONNX graph that onnxruntime runs; written with the ``onnx`` package's
  builders and checked with ``onnx.checker``.
* :func:`to_torch` / :func:`from_torch` convert a network to a ``torch.nn.Module``
  and back, copying the weights.

``onnx`` and ``torch`` are optional (``pip install 'mlplab[export]'`` /
``'mlplab[torch]'``) and imported only when these functions run.
"""

from mlplab.export.errors import ExportError
from mlplab.export.onnx_export import DEFAULT_OPSET, OPSETS, to_onnx
from mlplab.export.torch_bridge import SHARED_LAYERS, from_torch, to_torch
from mlplab.export.torch_file import save_torch

__all__ = ["DEFAULT_OPSET", "OPSETS", "SHARED_LAYERS", "ExportError", "from_torch", "save_torch",
           "to_onnx", "to_torch"]
