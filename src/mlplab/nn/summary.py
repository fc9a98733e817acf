"""``summary(model, input_shape)``: a table of layers, output shapes and parameter counts."""

from __future__ import annotations

from typing import Any

from mlplab.autograd.grad_mode import no_grad
from mlplab.autograd.tensor import Tensor
from mlplab.backend import xp
from mlplab.nn.module import Module


def _count(module: Module, recurse: bool) -> tuple[int, int]:
    total = trainable = 0
    for p in module.parameters(recurse=recurse):
        total += p.data.size
        trainable += p.data.size if p.requires_grad else 0
    return total, trainable


def summary(model: Module, input_shape: int | tuple[int, ...], batch_size: int = 2) -> str:
    """A Keras/torchsummary-style table for ``model`` fed examples of ``input_shape``.

    Runs one forward pass on zeros of shape (batch_size, *input_shape) in evaluation
    mode and without a graph (running statistics, RNG streams and weights are left
    untouched), recording each leaf layer's output shape. The batch axis shows as −1.

    Returns the table as a string (print it yourself). Each layer's #params counts the
    parameters it owns; the totals count each shared parameter once.

    >>> import mlplab as ml
    >>> net = ml.nn.Sequential(ml.nn.Linear(4, 3, seed=0), ml.nn.ReLU(), ml.nn.Linear(3, 2, seed=0))
    >>> print(summary(net, (4,)).splitlines()[-3])
    Total params: 23
    """
    if not isinstance(model, Module):
        raise TypeError(f"summary: expected an ml.nn.Module, got {type(model).__name__}")
    shape = (input_shape,) if isinstance(input_shape, int) else tuple(input_shape)
    rows: list[tuple[str, str, int]] = []
    handles = []
    leaves = [(name, m) for name, m in model.named_modules() if not m._modules or m is model]

    def record(name: str):
        def hook(module: Module, inputs: tuple, output: Any) -> None:
            out_shape = getattr(output, "shape", None)
            shown = "?" if out_shape is None else str((-1,) + tuple(out_shape[1:]))
            label = f"{type(module).__name__}" + (f" ({name})" if name else "")
            rows.append((label, shown, _count(module, recurse=False)[0]))
        return hook

    for name, module in leaves:
        if module is model and model._modules:
            continue
        handles.append(module.register_forward_hook(record(name)))
    modes = {id(m): m.training for m in model.modules()}
    dtype = next((p.dtype for p in model.parameters()), None)
    try:
        model.eval()
        with no_grad():
            model(Tensor(xp.zeros((batch_size,) + shape, dtype=dtype)))
    finally:
        for handle in handles:
            handle.remove()
        for m in model.modules():
            object.__setattr__(m, "training", modes[id(m)])
    total, trainable = _count(model, recurse=True)
    header = ("Layer (type)", "Output Shape", "Param #")
    widths = [max(len(header[i]), *(len(str(r[i])) for r in rows)) + 2 for i in range(3)]
    rule = "=" * sum(widths)

    def line(cells: tuple[Any, ...]) -> str:
        return "".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [f"{type(model).__name__} on input {(-1,) + shape}", rule, line(header), rule]
    out += [line((label, shown, f"{n:,}")) for label, shown, n in rows]
    out += [rule, f"Total params: {total:,}", f"Trainable params: {trainable:,}",
            f"Non-trainable params: {total - trainable:,}"]
    return "\n".join(out)
