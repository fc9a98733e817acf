"""Dense data for the ``classify`` and ``regression`` tasks: arrays, images and CSV tables.

Loads the splits (:mod:`mlplab.runs.data`), fits the preprocessing on the training
split (:mod:`mlplab.runs.preprocess`) and applies it to every split. The two tasks
differ only in their targets: class ids, or numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlplab.runs.data import RawSplits, load_raw_splits
from mlplab.runs.preprocess import Preprocessor

__all__ = ["DENSE_KINDS", "DenseData", "augmenter", "load_dense", "resolve_dense", "summary"]

DENSE_KINDS = ("digits", "mnist", "fashion-mnist", "csv", "synthetic")


@dataclass
class DenseData:
    raw: RawSplits
    pre: Preprocessor
    train: tuple[Any, Any]
    dev: tuple[Any, Any] | None
    test: tuple[Any, Any]

    @property
    def width(self) -> int:
        return self.train[0].shape[1]

    def metadata(self, config: Any) -> dict[str, Any]:
        """What the model file keeps to turn raw inputs into what the network saw."""
        spec, encoder = self.raw.spec, self.pre.encoder
        return {"input_width": self.width, "preprocessing": self.pre.to_dict(),
                "data": {"source": config.data, "kind": spec.kind,
                         "image_shape": list(spec.image_shape or []) or None,
                         "feature_names": encoder.feature_names if encoder else None}}


def resolve_dense(config: Any) -> Any:
    """Make the automatic choices explicit: standardize, augment_shift, stream, name."""
    spec = config.data_spec
    update: dict[str, Any] = {}
    if config.stream is None:  # files that may not fit in memory are read chunk by chunk
        update["stream"] = spec.kind in ("npy", "parquet")
    if config.standardize is None:
        update["standardize"] = spec.image_shape is None  # pixels stay in [0, 1]
    if config.augment and config.augment_shift is None:
        update["augment_shift"] = spec.image_shape[0] / 16  # 0.5 px on 8×8, 1.75 on 28×28
    if config.name is None:
        update["name"] = spec.default_name
    return config.model_copy(update=update)


def load_dense(config: Any, numeric: bool = False) -> DenseData:
    """The splits of ``config.data`` as float32 matrices, preprocessing fitted on train."""
    from mlplab.memory import TooLargeError

    raw = load_raw_splits(config, numeric)
    spec = config.data_spec
    try:
        pre = Preprocessor.fit(raw.train, bool(config.standardize), target=raw.target,
                               numeric=numeric, drop=tuple(spec.dropped))
    except TooLargeError as err:
        raise TooLargeError(f"data: {err}; on the command line write "
                            f"'csv:{spec.path},drop=COLUMN'") from None
    dev = pre.transform(raw.dev) if raw.dev is not None else None
    return DenseData(raw, pre, pre.transform(raw.train), dev, pre.transform(raw.test))


def augmenter(config: Any, spec: Any) -> Any:
    """Random shifts and rotations of training images, or None."""
    if not config.augment:
        return None
    from mlplab.data import Augmenter

    return Augmenter(shift=config.augment_shift, rotate=config.augment_rotate,
                     image_shape=spec.image_shape)


def summary(sizes: dict[str, int], width: int, what: str, unit: str = "samples") -> str:
    """'1293 train / 144 dev / 360 test samples, 64 features, 10 classes'."""
    return (f"{sizes['train']} train / {sizes['dev']} dev / {sizes['test']} test {unit}, "
            f"{width} features, {what}")
