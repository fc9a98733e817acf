"""The examples in the estimators' docstrings run and print what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

pytest.importorskip("sklearn")


@pytest.mark.parametrize("name", ["mlplab.sklearn", "mlplab.sklearn.classifier",
                                  "mlplab.sklearn.regressor"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
