"""A tour of mlplab.data: synthetic sets, digits, splits, normalization, loaders, augmentation.

Runs on a fresh machine (scikit-learn's bundled digits, no download). If
MLPLAB_DATA points at a folder holding mnist/ and uci_adult/, the tour also
reads MNIST and UCI Adult.

    python examples/data_tour.py
"""

from __future__ import annotations

import os

import numpy as np

from mlplab import data


def main() -> None:
    # 1. Synthetic sets: the XOR truth table and a noisy sample of it.
    X, y = data.xor()
    print("XOR table:", X.tolist(), "->", y.tolist())
    X, y = data.spirals(300, classes=3, seed=0)
    print(f"spirals: X {X.shape} {X.dtype}, classes {np.bincount(y).tolist()}")

    # 2. Digits, split three ways with class proportions kept.
    X, y = data.load_digits(test_size=None)
    (X_tr, y_tr), (X_dev, y_dev), (X_te, y_te) = data.train_dev_test_split(
        X, y, dev=0.1, test=0.2, seed=0
    )
    print(f"digits: train {len(X_tr)}, dev {len(X_dev)}, test {len(X_te)}")

    # 3. Normalize with statistics of the training split only: x := (x - μ) / σ.
    scaler = data.Standardizer().fit(X_tr)
    X_tr, X_dev, X_te = (scaler.transform(a) for a in (X_tr, X_dev, X_te))
    print(
        f"after scaling: train mean {X_tr.mean():+.3f}, std {X_tr.std():.3f}; "
        f"test mean {X_te.mean():+.3f} (close to, not exactly, 0)"
    )

    # 4. Mini-batches, reshuffled each epoch; resumable from state_dict().
    loader = data.DataLoader(X_tr, y_tr, batch_size=128, shuffle=True, seed=0)
    sizes = [len(yb) for _, yb in loader]
    print(f"loader: {len(loader)} batches per epoch, sizes {sizes}")

    # 5. Augmentation of 8x8 images: shifts of up to 1 pixel and rotations of up to 10°.
    images, _ = data.load_digits(test_size=None, flatten=False)
    aug = data.Augmenter(shift=1, rotate=10, seed=0)
    out = aug(images[:5])
    print(f"augmented: {out.shape}, range [{out.min():.2f}, {out.max():.2f}]")

    # 6. Real data, when available.
    root = os.environ.get("MLPLAB_DATA")
    if root and os.path.isdir(os.path.join(root, "mnist")):
        (X_tr, y_tr), (X_te, y_te) = data.load_mnist(os.path.join(root, "mnist"))
        print(f"MNIST: train {X_tr.shape}, test {X_te.shape}, labels {np.bincount(y_te).tolist()}")
    if root and os.path.isdir(os.path.join(root, "uci_adult")):
        train, test = data.load_adult(os.path.join(root, "uci_adult"))
        print(f"Adult: train {train.X.shape}, test {test.X.shape}, missing {train.missing}")


if __name__ == "__main__":
    main()
