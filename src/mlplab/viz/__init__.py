"""``mlplab.viz``: the plots that let you watch a network learn (matplotlib extra).

- :func:`plot_learning_curves` — train vs dev per epoch, with the
  bias/variance reading (:func:`bias_variance_reading`);
- :func:`plot_decision_boundary` — the class regions a model draws in 2-D;
- :func:`plot_activation_histograms` — per-layer activation/gradient histograms
  recorded by the ActivationStats callback (saturation, dead units, collapse);
- :func:`plot_confusion_matrix` — which classes are mixed up;
- :func:`plot_curves` — several named curves (e.g. competing optimizers) on one axis;
- :func:`save_figure` — atomic PNG/SVG writes.

Every ``plot_*`` returns a ``matplotlib.figure.Figure`` and saves it when given
a ``path``. matplotlib is imported only when a plot is made (``pip install
'mlplab[viz]'``), and never through ``pyplot``: no global state, no GUI.
See docs/visualization.md.
"""

from mlplab.viz.boundary import plot_decision_boundary
from mlplab.viz.confusion import plot_confusion_matrix
from mlplab.viz.curves import BiasVarianceReading, bias_variance_reading, plot_learning_curves
from mlplab.viz.histograms import plot_activation_histograms
from mlplab.viz.lines import plot_curves
from mlplab.viz.save import save_figure

__all__ = [
    "BiasVarianceReading", "bias_variance_reading", "plot_activation_histograms",
    "plot_confusion_matrix", "plot_curves", "plot_decision_boundary", "plot_learning_curves",
    "save_figure",
]
