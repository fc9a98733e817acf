"""Augmentation: resampling checked against scipy.ndimage, Augmenter's contract."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.sparse as sp

from mlplab.data import Augmenter, Compose, affine_images


@pytest.fixture
def images():
    return np.random.default_rng(0).random((4, 28, 28))


@pytest.mark.parametrize("shift", [(2, -3), (0, 1), (-5, 0), (30, 0)])
def test_integer_shift_is_exact(images, shift):
    ours = affine_images(images, 0.0, shift)
    ref = np.stack([ndi.shift(im, shift, order=1, mode="grid-constant") for im in images])
    np.testing.assert_array_equal(ours, ref)


@pytest.mark.parametrize("angle", [10.0, -7.5, 33.0, 90.0])
def test_rotation_matches_scipy(images, angle):
    # scipy rotates counter-clockwise as displayed, about the centre, like ours
    ours = affine_images(images, angle)
    ref = np.stack(
        [ndi.rotate(im, angle, reshape=False, order=1, mode="grid-constant") for im in images]
    )
    np.testing.assert_allclose(ours, ref, atol=1e-12)


def test_rotation_then_fractional_shift_matches_affine_transform(images):
    # oracle: the same map p = Rᵀ(p' − c − s) + c handed to scipy's affine_transform
    angle, shift = 12.0, np.array([0.5, -1.25])
    t = np.deg2rad(angle)
    Rt = np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]])
    c = np.array([13.5, 13.5])
    offset = c - Rt @ (c + shift)
    ref = np.stack(
        [ndi.affine_transform(im, Rt, offset, order=1, mode="grid-constant") for im in images]
    )
    np.testing.assert_allclose(affine_images(images, angle, shift), ref, atol=1e-12)


def test_per_image_parameters_and_blocks():
    rng = np.random.default_rng(1)
    ims = rng.random((600, 6, 5)).astype(np.float32)  # more than one block, non-square
    angles = rng.uniform(-20, 20, 600)
    shifts = rng.uniform(-2, 2, (600, 2))
    out = affine_images(ims, angles, shifts)
    assert out.shape == ims.shape and out.dtype == np.float32
    for i in (0, 299, 599):
        np.testing.assert_allclose(out[i], affine_images(ims[i : i + 1], angles[i], shifts[i])[0])


def test_augmenter_keeps_shape_dtype_and_range():
    rng = np.random.default_rng(2)
    flat = rng.random((5, 784)).astype(np.float32)
    aug = Augmenter(shift=2, rotate=10, noise=0.1, seed=0)
    out = aug(flat)
    assert out.shape == flat.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    out3 = aug(flat.reshape(5, 28, 28).astype(np.float64))
    assert out3.shape == (5, 28, 28) and out3.dtype == np.float64
    assert not np.shares_memory(out, flat)


def test_augmenter_shift_only_is_a_translation_within_range():
    img = np.zeros((1, 28, 28))
    img[0, 10:18, 12:16] = 1.0  # a block away from the border
    aug = Augmenter(shift=3, rotate=0, seed=0)
    moves = set()
    for _ in range(60):
        out = aug(img)[0]
        rows, cols = np.nonzero(out)
        dr, dc = rows.min() - 10, cols.min() - 12
        assert abs(dr) <= 3 and abs(dc) <= 3
        np.testing.assert_array_equal(out, ndi.shift(img[0], (dr, dc), order=0))
        moves.add((dr, dc))
    assert len(moves) > 20  # many of the 49 possible shifts occur


def test_augmenter_noise_std():
    X = np.full((200, 784), 0.5, dtype=np.float32)
    out = Augmenter(shift=0, rotate=0, noise=0.05, seed=1)(X)
    assert abs((out - X).std() - 0.05) < 0.002
    assert abs((out - X).mean()) < 0.002


def test_augmenter_rotation_bounded():
    # a bar through the centre rotated by ≤ 10° keeps its mass and stays near the centre row
    img = np.zeros((1, 28, 28))
    img[0, 13:15, 4:24] = 1.0
    aug = Augmenter(shift=0, rotate=10, seed=3)
    for _ in range(10):
        out = aug(img)[0]
        assert abs(out.sum() - img.sum()) / img.sum() < 0.05
        rows = np.nonzero(out > 0.5)[0]
        assert rows.min() >= 13 - 2 and rows.max() <= 14 + 2  # 10 px · tan 10° < 2


def test_augmenter_seeded_and_resumable():
    X = np.random.default_rng(4).random((8, 784)).astype(np.float32)
    a = Augmenter(seed=7)
    b = Augmenter(seed=7)
    np.testing.assert_array_equal(a(X), b(X))
    state = a.state_dict()
    expected = a(X)
    c = Augmenter(seed=0)
    c.load_state_dict(state)
    np.testing.assert_array_equal(c(X), expected)


def test_compose_applies_in_order():
    X = np.full((2, 4), 0.25, dtype=np.float32)
    pipeline = Compose(lambda x: x * 2, Augmenter(shift=0, rotate=0, noise=0.0))
    np.testing.assert_array_equal(pipeline(X), X * 2)
    with pytest.raises(TypeError, match="callable"):
        Compose(3)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: Augmenter()(np.zeros((2, 10))), "image_shape"),
        (lambda: Augmenter(image_shape=(3, 4))(np.zeros((2, 10))), "12 pixels"),
        (lambda: Augmenter(shift=-1), "shift"),
        (lambda: Augmenter(rotate="a"), "rotate"),
        (lambda: Augmenter()(sp.csr_matrix(np.zeros((2, 4)))), "dense"),
        (lambda: affine_images(np.zeros((28, 28))), r"\(n, H, W\)"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_non_square_with_image_shape():
    X = np.random.default_rng(5).random((3, 12))
    out = Augmenter(shift=1, rotate=5, image_shape=(3, 4), seed=0)(X)
    assert out.shape == (3, 12)
