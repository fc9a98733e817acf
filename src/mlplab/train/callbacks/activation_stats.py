"""Per-layer activation and gradient statistics: the data behind activation histograms.

Every ``every`` steps the callback runs a fixed probe batch through the model
layer by layer (in eval mode, so dropout and batch-norm statistics are untouched),
and records, for the output a^[l] of each hidden layer and its gradient ∂L/∂a^[l]:
mean, standard deviation, the fraction of dead ReLU units (zero for every probe
example) or saturated sigmoid/tanh units, and a histogram. ``ml.viz.
plot_activation_histograms(stats.records)`` draws them: with a bad initialization
the activations collapse to 0 or pile up at ±1, and the gradients vanish layer by layer.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlplab.checks import check_positive_int
from mlplab.train.callbacks.base import Callback, Logs

_SKIP = ("Dropout", "GaussianNoise", "Identity")
_SATURATING = {"Sigmoid": (0.01, 0.99), "Tanh": (-0.99, 0.99)}
_RELU_LIKE = ("ReLU",)


def layer_statistics(values: np.ndarray, layer_type: str, bins: int,
                     value_range: tuple[float, float] | None = None) -> dict[str, Any]:
    """Mean, std, dead/saturated fractions and a histogram of one layer's values.

    ``value_range`` fixes the histogram's range (values outside count in the edge bins),
    so histograms of different layers can be compared bin for bin.
    """
    flat = values.reshape(len(values), -1) if values.ndim > 1 else values[:, None]
    dead = saturated = None
    if layer_type in _RELU_LIKE:
        dead = float(np.mean(np.all(flat <= 0, axis=0)))
    if layer_type in _SATURATING:
        low, high = _SATURATING[layer_type]
        saturated = float(np.mean((flat <= low) | (flat >= high)))
    finite = flat[np.isfinite(flat)]
    if value_range is not None:
        finite = np.clip(finite, *value_range)
    if finite.size:
        counts, edges = np.histogram(finite, bins=bins, range=value_range)
    else:
        counts, edges = np.zeros(bins), np.zeros(bins + 1)
    return {
        "mean": float(finite.mean()) if finite.size else float("nan"),
        "std": float(finite.std()) if finite.size else float("nan"),
        "dead_fraction": dead,
        "saturated_fraction": saturated,
        "hist_counts": [int(c) for c in counts],
        "hist_edges": [float(e) for e in edges],
    }


class ActivationStats(Callback):
    """Record per-layer activation and gradient statistics every ``every`` optimizer steps.

    Args:
        X_probe: the inputs of the probe batch (e.g. 256 training examples). When None,
            the first ``probe_size`` examples of the training data are used.
        y_probe: the targets of the probe batch (None with ``X_probe=None``).
        every: record every this many steps (and always after the last step of an epoch
            when ``at_epoch_end``).
        bins: histogram bins.

    ``records`` is a list of dicts ``{"step", "epoch", "layer", "kind", "mean", "std",
    "dead_fraction", "saturated_fraction", "hist_counts", "hist_edges"}`` with ``kind``
    'activation' or 'gradient'. Works with ``ml.nn.Sequential`` models (it walks the layers).
    """

    def __init__(self, X_probe: Any = None, y_probe: Any = None, every: int = 100,
                 bins: int = 30, probe_size: int = 256, at_epoch_end: bool = True) -> None:
        self.X_probe = X_probe
        self.y_probe = y_probe
        self.every = check_positive_int(every, "every", "ActivationStats")
        self.bins = check_positive_int(bins, "bins", "ActivationStats")
        self.probe_size = check_positive_int(probe_size, "probe_size", "ActivationStats")
        self.at_epoch_end = at_epoch_end
        self.records: list[dict[str, Any]] = []
        self._step = 0
        self._epoch = 0

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.records = []
        self._step = 0
        layers = getattr(self.trainer.model, "__iter__", None)
        if layers is None:
            raise TypeError("ActivationStats: the model must be an ml.nn.Sequential "
                            "(it walks the layers one by one)")
        if self.X_probe is None:
            X, y = self.trainer.train_data
            self.X_probe, self.y_probe = X[: self.probe_size], y[: self.probe_size]

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self._epoch = epoch

    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        self._step += 1
        last = batch + 1 == self.trainer.settings.steps
        if self._step % self.every == 0 or (self.at_epoch_end and last):
            self.record()

    def record(self) -> None:
        """Run the probe batch and append one record per hidden layer and kind."""
        from mlplab.autograd.tensor import Tensor

        trainer = self.trainer
        model = trainer.model
        was_training = model.training
        model.eval()
        try:
            outputs: list[tuple[str, str, Tensor]] = []
            h = Tensor(trainer.prepare_inputs(self.X_probe))
            layers = list(model)
            for index, layer in enumerate(layers):
                h = layer(h)
                kind = type(layer).__name__
                if index < len(layers) - 1 and kind not in _SKIP:
                    h.retain_grad()
                    outputs.append((f"{index}:{kind}", kind, h))
            loss = trainer.compute_loss(h, trainer.prepare_targets(self.y_probe, h))
            loss.backward()
            for name, kind, tensor in outputs:
                for what, values in (("activation", tensor.data), ("gradient", tensor.grad)):
                    if values is None:
                        continue
                    stats = layer_statistics(np.asarray(values), kind if what == "activation"
                                             else "", self.bins)
                    self.records.append({"step": self._step, "epoch": self._epoch,
                                         "layer": name, "kind": what, **stats})
        finally:
            trainer.optimizer.zero_grad()
            model.train(was_training)
