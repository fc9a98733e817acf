"""The layering of docs/architecture.md holds in the code: no upward import, no cycle.

A package may import only packages of a strictly lower layer (or itself). Imports
inside functions count. The package root (``mlplab/__init__.py``) is a layer of its
own above the library: only the workflows above it may import it.
"""

from __future__ import annotations

from tests.structure.imports import ROOT, SRC, edges, package_of

LAYERS = [
    {"backend", "blas", "checks", "memory", "version", "reference"},  # NumPy only
    {"autograd", "data"},
    {"nn", "graph"},
    {"optim"},
    {"io"},
    {"train", "viz"},
    {"runs"},
    {"text"},  # registers its task with runs
    {"export", "sklearn", "tune", "playground"},  # doors to other tools and the browser
    {ROOT},
    {"lab"},
    {"cli"},
    {"__main__"},
]
RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}


def _where(edge) -> str:
    return f"{edge.source.relative_to(SRC.parent)}:{edge.line}"


def test_every_package_has_a_layer():
    packages = {package_of(path) for path in SRC.rglob("*.py")}
    assert packages - RANK.keys() == set(), "add new packages to LAYERS (and architecture.md)"


def test_no_upward_or_sideways_import():
    wrong = [f"{_where(e)} imports {e.target} ({package_of(e.source)} may not)"
             for e in edges()
             if package_of(e.source) != e.target
             and RANK[e.target] >= RANK[package_of(e.source)]]
    assert wrong == []


def test_no_import_cycle_between_packages():
    graph: dict[str, set[str]] = {}
    for e in edges():
        if package_of(e.source) != e.target:
            graph.setdefault(package_of(e.source), set()).add(e.target)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    assert [p for p in graph if reaches(p, p, {p})] == []


def test_no_private_name_imported_across_packages():
    def private(text: str) -> bool:
        return any(part.startswith("_") and not part.startswith("__")
                   for part in text.split("."))

    wrong = [f"{_where(e)} imports {e.target}:{e.name}" for e in edges()
             if package_of(e.source) != e.target and private(e.name)]
    assert wrong == []
