"""A seeded mutator of model files: byte flips, truncations and hostile JSON edits.

``hostile_files(folder, n, seed)`` writes ``n`` damaged variants of a real model file
and of a real checkpoint; the fuzz test loads each one and expects ``ModelFileError``
(or, for a harmless change such as a flipped weight byte, a normal load).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from tests.io.hostile import nested, nested_sequential, split_model

DEEP = "\"__DEEP__\""
HUGE_LINEAR = {"type": "Linear", "args": {"in_features": 10**7, "out_features": 10**7}}
HUGE_BATCH_NORM = {"type": "BatchNorm1d", "args": {"num_features": 10**11}}
POOL: list[Any] = [
    None, True, 0, -1, 2**31, 10**12, 1e308, float("nan"), "", "x" * 300, [], [1, 2],
    ["ReLU"], {}, {"a": 1}, HUGE_LINEAR, {"type": "Sequential", "layers": "ReLU"},
    HUGE_BATCH_NORM, {"__array__": "nope"},
    {"__array__": 3}, {"__tuple__": 3}, {"__int__x": 1}, DEEP,
]


def _paths(tree: Any, path: tuple = ()) -> list[tuple]:
    """Every place in a JSON tree, as a tuple of keys and indices."""
    found = [path]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += _paths(value, (*path, key))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            found += _paths(value, (*path, i))
    return found


def _edit_json(meta: dict[str, Any], rng: np.random.Generator) -> str:
    """``meta`` with one node edited (see ``_EDITS``), as JSON text."""
    meta = json.loads(json.dumps(meta))
    edit = _EDITS[int(rng.integers(len(_EDITS)))]
    paths = [path for path in _paths(meta)[1:] if edit.applies(_at(meta, path))] or [("x",)]
    path = paths[int(rng.integers(len(paths)))]
    parent = _at(meta, path[:-1])
    edit.apply(parent, path[-1], rng)
    text = json.dumps(meta)
    deep = nested(int(rng.choice([70, 900, 20_000])))
    if rng.random() < 0.5:
        deep = nested_sequential(int(rng.choice([40, 900, 5_000])))
    return text.replace(DEEP, deep)


def _at(tree: Any, path: tuple) -> Any:
    for key in path:
        tree = tree[key]
    return tree


class _Edit:
    """One kind of damage: where it ``applies`` and how to ``apply`` it there."""

    def __init__(self, applies: Any, apply: Any) -> None:
        self.applies, self.apply = applies, apply


def _replace(parent: Any, key: Any, rng: np.random.Generator) -> None:
    parent[key] = POOL[int(rng.integers(len(POOL)))]


def _rename_or_delete(parent: Any, key: Any, rng: np.random.Generator) -> None:
    if isinstance(parent, dict) and rng.random() < 0.5:
        parent[f"evil{key}"] = parent.pop(key)
    else:
        del parent[key]


def _repeat(parent: Any, key: Any, rng: np.random.Generator) -> None:
    copies = [parent[key]] * int(rng.choice([2, 1000]))
    if isinstance(parent, list):  # e.g. a layer repeated a thousand times
        parent[key:key + 1] = copies
    else:
        parent[key] = copies


def _enlarge(parent: Any, key: Any, rng: np.random.Generator) -> None:
    parent[key] = int(10 ** rng.integers(6, 13)) * int(rng.choice([1, -1]))


def _hostile_layer(parent: Any, key: Any, rng: np.random.Generator) -> None:
    layers = [HUGE_LINEAR, HUGE_BATCH_NORM, DEEP, {"type": "Lnear"}, {"type": "ReLU", "args": 1}]
    parent[key] = layers[int(rng.integers(len(layers)))]


def _is_layer(node: Any) -> bool:
    return isinstance(node, dict) and "type" in node


_EDITS = [
    _Edit(lambda node: True, _replace),
    _Edit(lambda node: True, _rename_or_delete),
    _Edit(lambda node: True, _repeat),
    _Edit(lambda node: isinstance(node, int) and not isinstance(node, bool), _enlarge),
    _Edit(_is_layer, _hostile_layer),
]


def _edit_arrays(arrays: dict[str, np.ndarray], rng: np.random.Generator) -> dict[str, Any]:
    arrays = dict(arrays)
    key = sorted(arrays)[rng.integers(len(arrays))]
    choice = rng.integers(3)
    if choice == 0:
        del arrays[key]
    elif choice == 1:
        arrays[key] = np.zeros(arrays[key].size + 1, np.float32)
    else:
        arrays[key] = arrays[key].astype(np.int8)
    return arrays


def variants(raw: bytes, n: int, rng: np.random.Generator) -> list[bytes]:
    """``n`` damaged copies of the safetensors file ``raw``."""
    from safetensors.numpy import save

    meta, arrays = split_model(raw)
    size = int.from_bytes(raw[:8], "little")
    out = []
    for i in range(n):
        kind = i % 4
        if kind == 0:  # flip bytes, most of them in the header
            data = bytearray(raw)
            for _ in range(int(rng.integers(1, 9))):
                end = 8 + size if rng.random() < 0.8 else len(raw)
                data[int(rng.integers(end))] ^= 1 << int(rng.integers(8))
            out.append(bytes(data))
        elif kind == 1:  # truncate
            out.append(raw[: int(rng.integers(len(raw)))])
        elif kind == 2:  # edit the description
            out.append(save(arrays, metadata={"mlplab": _edit_json(meta, rng)}))
        else:  # edit the tensors, and sometimes the description too
            text = _edit_json(meta, rng) if rng.random() < 0.3 else json.dumps(meta)
            out.append(save(_edit_arrays(arrays, rng), metadata={"mlplab": text}))
    return out


def hostile_files(folder: Path, model: bytes, checkpoint: bytes, n: int,
                  seed: int) -> list[tuple[str, Path]]:
    """Write ``n`` variants (3/4 of a model, 1/4 of a checkpoint); (kind, path) pairs."""
    rng = np.random.default_rng(seed)
    n_state = n // 4
    files = []
    for kind, raw, count in (("model", model, n - n_state), ("checkpoint", checkpoint, n_state)):
        for i, data in enumerate(variants(raw, count, rng)):
            path = folder / f"{kind}_{i:03d}.safetensors"
            path.write_bytes(data)
            files.append((kind, path))
    return files
