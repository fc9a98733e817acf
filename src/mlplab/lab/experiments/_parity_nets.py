"""Hand-built sigmoid networks for n-bit parity (used by the logic-gates experiment).

Every unit is a saturated sigmoid σ(±20·… ± 10): σ(±10) is within 4.6e-5 of 1 or 0, so
each unit acts as a logic gate on 0/1 inputs.

- deep: a binary tree of XOR blocks, XOR(a, b) = AND(OR(a, b), NAND(a, b)): log₂n
  levels of two layers each, 3(n − 1) units;
- one hidden layer: one AND unit per input pattern of odd weight (2^(n−1) of them,
  each fires only on its pattern), then an OR: 2^(n−1) + 1 units.
"""

from __future__ import annotations

import itertools

import numpy as np

from mlplab import nn

W = 20.0


def _layer(weight: np.ndarray, bias: np.ndarray) -> nn.Linear:
    layer = nn.Linear(weight.shape[1], weight.shape[0], dtype="float64")
    layer.weight.data[...] = weight
    layer.bias.data[...] = bias
    return layer


def _xor_level(k: int) -> list[nn.Module]:
    """Two layers turning k inputs (k even) into k/2 XORs of neighbouring pairs."""
    hidden_w, hidden_b = np.zeros((k, k)), np.zeros(k)
    out_w, out_b = np.zeros((k // 2, k)), np.full(k // 2, -1.5 * W)
    for pair in range(k // 2):
        a, b = 2 * pair, 2 * pair + 1
        hidden_w[a, [a, b]], hidden_b[a] = W, -0.5 * W      # OR
        hidden_w[b, [a, b]], hidden_b[b] = -W, 1.5 * W      # NAND
        out_w[pair, [a, b]] = W                              # AND(OR, NAND)
    return [_layer(hidden_w, hidden_b), nn.Sigmoid(), _layer(out_w, out_b), nn.Sigmoid()]


def tree_parity(n: int) -> nn.Sequential:
    """A deep network computing the parity of n bits (n a power of two)."""
    if n < 2 or n & (n - 1):
        raise ValueError(f"tree_parity: n must be a power of two >= 2, got {n}; e.g. n=8")
    layers: list[nn.Module] = []
    while n > 1:
        layers += _xor_level(n)
        n //= 2
    return nn.Sequential(*layers)


def dnf_parity(n: int) -> nn.Sequential:
    """One hidden layer of AND units, one per odd-weight pattern, then an OR."""
    patterns = np.array([p for p in itertools.product([0.0, 1.0], repeat=n) if sum(p) % 2])
    hidden = _layer(W * (2 * patterns - 1), -W * patterns.sum(axis=1) + 0.5 * W)
    out = _layer(np.full((1, len(patterns)), W), np.array([-0.5 * W]))
    return nn.Sequential(hidden, nn.Sigmoid(), out, nn.Sigmoid())


def unit_count(net: nn.Sequential) -> int:
    """Sigmoid units of a network: the outputs of its Linear layers."""
    return sum(layer.weight.data.shape[0] for layer in net if isinstance(layer, nn.Linear))
