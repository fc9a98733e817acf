"""scikit-learn estimators built on mlplab: ``MLPClassifier``, ``MLPRegressor``, and
``TfidfMLPClassifier`` for raw texts.

Drop-in replacements for ``sklearn.neural_network.MLPClassifier``/``MLPRegressor``
(change one import line), with the library's extra choices as further parameters;
``save``/``load`` keep a fitted estimator in one safe file (no pickle). Needs
scikit-learn (``pip install mlplab[sklearn]``).

>>> from mlplab.sklearn import MLPClassifier
>>> MLPClassifier().get_params()["hidden_layer_sizes"]
(100,)
"""

from mlplab.sklearn.classifier import MLPClassifier
from mlplab.sklearn.parameters import EstimatorParameterError
from mlplab.sklearn.persistence import load, save
from mlplab.sklearn.regressor import MLPRegressor
from mlplab.sklearn.text import TfidfMLPClassifier

__all__ = ["EstimatorParameterError", "MLPClassifier", "MLPRegressor", "TfidfMLPClassifier", "load",
           "save"]
