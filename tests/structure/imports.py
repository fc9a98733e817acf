"""The package-level import graph of ``src/mlplab``, read from the source with ``ast``.

Every ``import`` counts, including those inside functions: a lazy import is still a
dependency a reader has to follow, and a cycle through one still tangles two packages.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "mlplab"
ROOT = "mlplab"  # the package root, mlplab/__init__.py


@dataclass(frozen=True)
class Edge:
    """``source`` (a file) imports ``name`` from package ``target``."""

    source: Path
    line: int
    target: str
    name: str


def package_of(path: Path) -> str:
    """The top-level package a source file belongs to ('nn', 'checks', or ROOT)."""
    parts = path.relative_to(SRC).with_suffix("").parts
    if parts == ("__init__",):
        return ROOT
    return parts[0]


def _subpackages() -> set[str]:
    return {p.stem if p.is_file() else p.name for p in SRC.iterdir()
            if (p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py"}


def _resolve_relative(path: Path, level: int, module: str | None) -> str:
    base = list(path.relative_to(SRC.parent).with_suffix("").parts)[: -level]
    return ".".join(base + ([module] if module else []))


def edges() -> list[Edge]:
    """Every import of an mlplab module by an mlplab source file."""
    subpackages = _subpackages()
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [(alias.name, "") for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                module = (_resolve_relative(path, node.level, node.module) if node.level
                          else node.module or "")
                targets = [(module, alias.name) for alias in node.names]
            else:
                continue
            for module, name in targets:
                parts = module.split(".")
                if parts[0] != ROOT:
                    continue
                if len(parts) > 1:
                    target = parts[1]
                elif name in subpackages:  # "from mlplab import nn" imports the subpackage
                    target, name = name, ""
                else:
                    target = ROOT
                found.append(Edge(path, node.lineno, target, name))
    return found
