"""The runnable examples in the nn docstrings are correct (they are part of the docs)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import mlplab.nn

MODULES = ["mlplab.reference"] + [
    info.name for info in pkgutil.walk_packages(mlplab.nn.__path__, "mlplab.nn.")]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
