"""Resuming ``Trainer.fit`` on a stream from a checkpoint taken mid-epoch: the final
weights equal those of the uninterrupted run, bit for bit."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import mlplab as ml
from mlplab.checks import ParameterError
from mlplab.train.callbacks import Callback, ModelCheckpoint
from mlplab.train.interrupt import TrainingInterrupted

ROWS, CHUNK, BUFFER, BATCH = 600, 70, 150, 16  # the buffer holds a quarter of the rows


@pytest.fixture(params=["npy", "parquet"])
def spec(request, tmp_path):
    """The same generated table as X.npy + y.npy, or as Parquet (row groups of CHUNK)."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(ROWS, 4)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] * X[:, 2] > 0).astype(np.int64)
    if request.param == "npy":
        np.save(tmp_path / "X.npy", X)
        np.save(tmp_path / "y.npy", y)
        return f"npy:{tmp_path}"
    columns = {f"x{j}": X[:, j] for j in range(4)} | {"label": y}
    pq.write_table(pa.table(columns), tmp_path / "t.parquet", row_group_size=CHUNK)
    return f"parquet:{tmp_path / 't.parquet'}"


def _stream(spec):
    return ml.data.open_stream(spec, rows_per_chunk=CHUNK, buffer_rows=BUFFER)


def _trainer(callbacks=()):
    model = ml.nn.Sequential(ml.nn.Linear(4, 16), ml.nn.ReLU(), ml.nn.Dropout(0.2),
                             ml.nn.Linear(16, 2))  # dropout: the layers' generator matters too
    return ml.train.Trainer(model, "cross_entropy", "adam", seed=3, verbose=0,
                            callbacks=list(callbacks))


class StopAt(Callback):
    """Ctrl-C after batch ``batch`` of epoch ``epoch`` (after the checkpoint is written)."""

    order = 2

    def __init__(self, epoch, batch):
        self.at = (epoch, batch)

    def on_batch_end(self, batch, logs=None):
        if self.trainer.position == self.at:
            raise KeyboardInterrupt


def _weights(trainer):
    return trainer.model.state_dict()


def test_a_mid_epoch_checkpoint_resumes_to_the_same_weights(spec, tmp_path):
    whole = _trainer()
    whole.fit(_stream(spec), epochs=3, batch_size=BATCH)

    path = tmp_path / "ck-{epoch}.safetensors"
    first = _trainer([ModelCheckpoint(path, every_batches=5), StopAt(1, 24)])
    with pytest.raises(TrainingInterrupted) as stop:
        first.fit(_stream(spec), epochs=3, batch_size=BATCH)
    assert stop.value.checkpoint == tmp_path / "ck-2.safetensors"  # batch 25 of epoch 2

    resumed = _trainer([ModelCheckpoint(path, every_batches=5)]).resume(stop.value.checkpoint)
    position = resumed.state_dict()["stream_position"]
    assert (position["epoch"], position["loader"]["batches_done"]) == (1, 25)
    resumed.fit(_stream(spec), epochs=3, batch_size=BATCH)
    for name, value in _weights(whole).items():
        assert np.array_equal(value, _weights(resumed)[name]), name
    assert resumed.history.history["loss"] == whole.history.history["loss"]
    assert "stream_position" not in resumed.state_dict()  # the epochs are over


def test_save_checkpoint_from_a_callback_in_the_first_epoch(spec, tmp_path):
    class SaveAt(Callback):
        def on_batch_end(self, batch, logs=None):
            if self.trainer.position == (0, 7):
                self.trainer.save_checkpoint(tmp_path / "mid.safetensors")

    whole = _trainer()
    whole.fit(_stream(spec), epochs=2, batch_size=BATCH)
    _trainer([SaveAt()]).fit(_stream(spec), epochs=2, batch_size=BATCH)
    resumed = _trainer().resume(tmp_path / "mid.safetensors")
    resumed.fit(_stream(spec), epochs=2, batch_size=BATCH)
    for name, value in _weights(whole).items():
        assert np.array_equal(value, _weights(resumed)[name]), name


def test_a_mid_epoch_checkpoint_refuses_other_data(spec, tmp_path):
    trainer = _trainer([StopAt(0, 3)])
    with pytest.raises(TrainingInterrupted):
        trainer.fit(_stream(spec), epochs=1, batch_size=BATCH)
    trainer.save_checkpoint(tmp_path / "mid.safetensors")  # after Ctrl-C: at batch 4
    for data, kwargs, message in (
            ((np.zeros((8, 4), np.float32), np.zeros(8, np.int64)), {}, "fit(stream)"),
            ((_stream(spec),), {"batch_size": BATCH * 2}, "batch_size=32 (saved 16)")):
        again = _trainer().resume(tmp_path / "mid.safetensors")
        with pytest.raises(ParameterError, match=re.escape(message)) as err:
            again.fit(*data, epochs=1, **{"batch_size": BATCH, **kwargs})
        assert "\n" not in str(err.value)


def test_every_batches_needs_a_stream(tmp_path):
    trainer = _trainer([ModelCheckpoint(tmp_path / "c.safetensors", every_batches=2)])
    with pytest.raises(ParameterError, match="every_batches"):
        trainer.fit(np.zeros((8, 4), np.float32), np.zeros(8, np.int64), epochs=1)
