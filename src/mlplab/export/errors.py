"""The error every exporter raises for a model it cannot convert."""


class ExportError(ValueError):
    """A model (or one of its layers) that has no ONNX or PyTorch counterpart; the message
    names the layer by its position, e.g. ``model[3] (Maxout)``."""
