"""What a whole module tree switches at once: train/eval mode, gradients, dtype.

``Module`` inherits these from ``ModuleModes``; they walk the tree that
``module.py`` builds (``_modules``, ``parameters()``, ``_buffers``) and change
every layer in place.

There is no device: mlplab computes with NumPy on the CPU. ``to("cuda")`` (or
"cuda:0", "mps", "gpu", a ``torch.device``) raises one line that says so and how
to reach a GPU: export the weights to PyTorch, whose ``torch.nn`` layers have the
same parameter names and shapes. ``to("cpu")`` is accepted and changes nothing, so
code written for PyTorch runs unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from mlplab import checks
from mlplab.backend import DTypeLike, is_floating, resolve_dtype

_DEVICE = re.compile(r"(cpu|cuda|gpu|mps|xpu|tpu|opencl|vulkan|meta)(:\d+)?")
"""Device names PyTorch code passes to ``.to(...)``, with an optional index (cuda:0)."""


def device_name(value: Any) -> str | None:
    """The device ``value`` names ('cuda:0', a ``torch.device``), or None for a dtype."""
    if type(value).__name__ == "device":  # torch.device, recognized without importing torch
        value = str(value)
    if isinstance(value, str) and _DEVICE.fullmatch(value.strip().lower()):
        return value.strip().lower()
    return None


def check_cpu(device: Any, owner: str = "Module.to") -> None:
    """Accept the CPU; refuse any other device with the one-line explanation."""
    name = device_name(device)
    if name is None:
        raise checks.ParameterError(f"{owner}: device must be 'cpu', got {checks.shown(device)}")
    if not name.startswith("cpu"):
        raise checks.ParameterError(
            f"{owner}: mlplab runs on the CPU only (NumPy), so there is no device {name!r}; "
            "to use a GPU, export the model to PyTorch: model.state_dict() has torch.nn's "
            "parameter names and shapes (load it with torch.from_numpy)"
        )


class ModuleModes:
    """Mixin of ``Module``: switches applied to every layer of the tree."""

    def train(self, mode: bool = True) -> Any:
        """Training mode (Dropout drops, BatchNorm uses batch statistics)."""
        mode = bool(mode)
        seen: set[int] = set()
        todo: list[Any] = [self]
        for module in todo:  # breadth-first: the list grows as children are found
            if module is None or id(module) in seen:
                continue
            seen.add(id(module))
            module.__dict__["training"] = mode  # a plain attribute: skip __setattr__
            todo.extend(module._modules.values())
        return self

    def eval(self) -> Any:
        """Evaluation mode: deterministic layers, BatchNorm uses its running statistics."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Any:
        """Switch gradient recording on or off for every parameter (freezing a layer)."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self) -> None:
        """Forget every parameter's accumulated gradient (sets ``.grad`` to None)."""
        for p in self.parameters():
            p.grad = None

    def to(self, dtype: DTypeLike | None = None, *, device: Any = None) -> Any:
        """Cast floating parameters and buffers to ``dtype``, in place.

        The Parameter objects stay the same (only their ``.data`` is replaced), so an
        optimizer built before the cast still updates this model. A device name in
        place of the dtype, or ``device=``, must be the CPU (see the module docstring).
        """
        if device is not None:
            check_cpu(device)
        if dtype is None or device_name(dtype) is not None:
            if dtype is not None:
                check_cpu(dtype)
            return self
        dtype = resolve_dtype(dtype)
        if not is_floating(dtype):
            raise TypeError(f"Module.to: expected a floating dtype such as 'float32' or "
                            f"'float64', got {dtype}")
        for p in self.parameters():
            if p.data.dtype != dtype:
                p.data = p.data.astype(dtype)
                if p.grad is not None:
                    p.grad = p.grad.astype(dtype)
        for module in self.modules():
            for name, b in module._buffers.items():
                if b is not None and is_floating(b.dtype) and b.dtype != dtype:
                    module._buffers[name] = b.astype(dtype)
        return self

    def double(self) -> Any:
        """Cast to float64 (``to("float64")``)."""
        return self.to("float64")

    def float(self) -> Any:
        """Cast to float32 (``to("float32")``)."""
        return self.to("float32")
