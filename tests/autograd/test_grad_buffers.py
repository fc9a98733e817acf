"""grad_buffers: an array becomes a .grad as is only when nothing else holds its memory."""

from __future__ import annotations

import numpy as np

import mlplab as ml
from mlplab.autograd.grad_buffers import handed_out, owns_memory, store_grad


def test_a_fresh_array_is_taken_as_is_and_remembered():
    leaf = ml.tensor(np.zeros(3), requires_grad=True)
    stored: set[int] = set()
    g = np.ones(3)
    store_grad(leaf, g, stored)
    assert leaf.grad is g and id(g) in stored


def test_an_array_already_handed_out_is_copied():
    a = ml.tensor(np.zeros(3), requires_grad=True)
    b = ml.tensor(np.zeros(3), requires_grad=True)
    stored: set[int] = set()
    g = np.ones(3)
    store_grad(a, g, stored)
    store_grad(b, g, stored)  # the same array for two leaves (x + y passes g through)
    assert a.grad is g and b.grad is not g and not np.shares_memory(a.grad, b.grad)


def test_views_broadcasts_and_the_callers_array_are_not_owned():
    full = np.ones((3, 4))
    assert owns_memory(full.T, set())  # covers all of a base that owns its memory
    assert not owns_memory(full[:2], set())  # a partial view
    assert not owns_memory(np.broadcast_to(np.ones(4), (3, 4)), set())  # read-only
    caller = np.ones(3)
    assert not owns_memory(caller, handed_out(caller))
