"""Adam as scikit-learn's MLP estimators compute it, so that ``solver='adam'`` trains
the same weights as ``sklearn.neural_network``.

scikit-learn folds both bias corrections into the step size and adds ε to the
uncorrected root::

    W := W − α √(1−β₂ᵗ)/(1−β₁ᵗ) · v / (√S + ε)

The Adam paper (and ``ml.optim.Adam``, PyTorch) adds ε to the corrected root √Ŝ, which
is the same as adding ε√(1−β₂ᵗ) to √S. The two differ only while √S is within a few
ε of zero (the first steps, or weights whose gradient stays near 0).
"""

from __future__ import annotations

from mlplab.optim import Adam


class SklearnAdam(Adam):
    """``ml.optim.Adam`` with ε added to √S (scikit-learn's placement); see the module."""

    def epsilon_added_to_root_s(self, eps: float, root_bc2: float) -> float:
        return eps
