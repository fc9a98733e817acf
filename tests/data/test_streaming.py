"""Data larger than memory: sources read chunk by chunk, one-pass preprocessing, the
shuffle buffer, mid-epoch resume, and Trainer.fit on a stream."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import mlplab as ml
from mlplab.checks import ParameterError
from mlplab.data.streaming import CsvSource, NpySource, ParquetSource, Stream, StreamEncoder


@pytest.fixture
def table(tmp_path):
    """300 rows: two numeric columns (one with gaps), one category, a text label; the
    same rows as .npy, Parquet (row groups of 64) and CSV."""
    rng = np.random.default_rng(0)
    a = rng.normal(3.0, 2.0, 300)
    b = rng.uniform(-1, 1, 300)
    b[::17] = np.nan
    colour = rng.choice(["red", "green", "blue"], 300)
    label = np.where(a + (colour == "red") > 3.5, "yes", "no")
    pq.write_table(pa.table({"a": a, "b": b, "colour": colour, "label": label}),
                   tmp_path / "t.parquet", row_group_size=64)
    lines = ["a,b,colour,label"] + [
        f"{float(x)!r},{'' if np.isnan(y) else repr(float(y))},{c},{t}" for x, y, c, t in
        zip(a, b, colour, label, strict=True)]
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n")
    return tmp_path, a, b, colour, label


def _rows(source):
    chunks = [source.read(i) for i in range(source.n_chunks)]
    return (np.concatenate([c.numeric for c in chunks]),
            {k: np.concatenate([c.categorical[k] for c in chunks]) for k in chunks[0].categorical},
            np.concatenate([c.target for c in chunks]))


@pytest.mark.parametrize("kind", ["parquet", "csv"])
def test_tabular_sources_read_every_row_once(table, kind):
    folder, a, b, colour, label = table
    source = (ParquetSource(folder / "t.parquet") if kind == "parquet"
              else CsvSource(folder / "t.csv", rows_per_chunk=64))
    assert source.n_rows == 300 and source.n_chunks == 5
    numeric, categorical, target = _rows(source)
    np.testing.assert_allclose(numeric, np.column_stack([a, b]), equal_nan=True)
    assert categorical["colour"].tolist() == colour.tolist()
    assert target.tolist() == label.tolist()


def test_csv_chunks_cover_the_file_for_any_chunk_size(tmp_path):
    X = np.arange(30.0).reshape(10, 3)
    text = "p,q,label\n" + "".join(f"{r[0]},{r[1]},{int(r[2])}\n" for r in X)
    for ending in ("", "\n"):
        (tmp_path / "f.csv").write_text(text.rstrip("\n") + ending)
        for rows in (1, 3, 4, 10, 11):
            source = CsvSource(tmp_path / "f.csv", rows_per_chunk=rows)
            numeric, _, target = _rows(source)
            assert numeric.tolist() == X[:, :2].tolist(), (rows, ending)
            assert target.tolist() == X[:, 2].tolist()


def test_npy_source_maps_chunks_and_splits_a_target_column(tmp_path):
    data = np.arange(50, dtype=np.float32).reshape(10, 5)
    np.save(tmp_path / "d.npy", data)
    source = NpySource(tmp_path / "d.npy", target_column=-1, rows_per_chunk=4)
    numeric, _, target = _rows(source)
    assert source.chunk_rows.tolist() == [4, 4, 2]
    assert numeric.dtype == np.float32 and numeric.tolist() == data[:, :4].tolist()
    assert target.tolist() == data[:, 4].tolist()


def test_encoder_statistics_equal_those_of_the_whole_column(table):
    folder, a, b, colour, _ = table
    encoder = StreamEncoder().fit(ParquetSource(folder / "t.parquet"))
    np.testing.assert_allclose(encoder.scaler.mean_, [a.mean(), np.nanmean(b)], rtol=1e-12)
    np.testing.assert_allclose(encoder.scaler.scale_, [a.std(), np.nanstd(b)], rtol=1e-12)
    assert encoder.categories == {"colour": ["blue", "green", "red"]}
    assert encoder.classes == ["no", "yes"] and encoder.n_features == 5
    X, y = encoder.transform(ParquetSource(folder / "t.parquet").read(0))
    assert X.dtype == np.float32 and not np.isnan(X).any()
    assert X[:, 2:].sum(axis=1).tolist() == [1.0] * 64  # exactly one category each
    assert X[0, 1] == 0.0  # row 0's b is missing: the mean, 0 once standardized


def test_loader_gives_every_row_once_per_epoch_through_a_small_buffer(tmp_path):
    np.save(tmp_path / "X.npy", np.arange(1000, dtype=np.float32).reshape(-1, 1))
    np.save(tmp_path / "y.npy", np.arange(1000) % 2)
    stream = ml.data.open_stream(f"npy:{tmp_path}", rows_per_chunk=50, standardize=False)
    loader = stream.loader(batch_size=32, seed=1, buffer_rows=200)
    epochs = [np.concatenate([xb[:, 0] for xb, _ in loader]) for _ in range(2)]
    for seen in epochs:
        assert sorted(seen.tolist()) == list(range(1000))
        assert not np.array_equal(seen, np.sort(seen))  # shuffled
    assert not np.array_equal(epochs[0], epochs[1])  # a new order every epoch
    assert [len(b) for b, _ in loader] == [32] * 31 + [8] and len(loader) == 32
    again = stream.loader(batch_size=32, seed=1, buffer_rows=200)
    assert np.array_equal(np.concatenate([xb[:, 0] for xb, _ in again]), epochs[0])


def test_a_buffer_holding_everything_shuffles_like_the_in_memory_loader(tmp_path):
    X = np.arange(300, dtype=np.float32).reshape(-1, 1)
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", np.zeros(300, dtype=np.int64))
    stream = ml.data.open_stream(f"npy:{tmp_path}", rows_per_chunk=64, standardize=False)
    streamed = [xb[:, 0].tolist() for xb, _ in stream.loader(batch_size=40, seed=7)]
    in_memory = [xb[:, 0].tolist() for xb, _ in
                 ml.data.DataLoader(X, np.zeros(300), batch_size=40, shuffle=True, seed=7)]
    assert streamed == in_memory


def test_resuming_mid_epoch_continues_with_the_next_batch(tmp_path):
    np.save(tmp_path / "X.npy", np.arange(500, dtype=np.float32).reshape(-1, 1))
    np.save(tmp_path / "y.npy", np.zeros(500, dtype=np.int64))
    stream = ml.data.open_stream(f"npy:{tmp_path}", rows_per_chunk=30, standardize=False)
    loader = stream.loader(batch_size=16, seed=3, buffer_rows=100)
    whole = [xb[:, 0].tolist() for xb, _ in stream.loader(batch_size=16, seed=3, buffer_rows=100)]
    first = []
    for xb, _ in loader:
        first.append(xb[:, 0].tolist())
        if len(first) == 11:
            break
    state = loader.state_dict()
    resumed = stream.loader(batch_size=16, seed=99, buffer_rows=100)
    resumed.load_state_dict(state)
    rest = [xb[:, 0].tolist() for xb, _ in resumed]
    assert first + rest == whole


def _network():
    return ml.nn.Sequential(ml.nn.Linear(5, 8), ml.nn.Tanh(), ml.nn.Linear(8, 2))


def test_fit_on_a_stream_equals_fit_in_memory_when_the_buffer_holds_everything(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 5)).astype(np.float32)
    y = (X[:, 0] > X[:, 1]).astype(np.int64)
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", y)
    stream = ml.data.open_stream(f"npy:{tmp_path}", rows_per_chunk=64, standardize=False)
    streamed, in_memory = _network(), _network()  # the Trainer's seed draws both weights
    for model, data in ((streamed, (stream,)), (in_memory, (X, y))):
        ml.train.Trainer(model, "cross_entropy", "adam", seed=5, verbose=0).fit(
            *data, epochs=3, batch_size=32)
    for name, value in streamed.state_dict().items():
        assert np.array_equal(value, in_memory.state_dict()[name]), name


def test_regression_encoder_gives_the_whole_targets_mean_and_deviation(tmp_path):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(500, 2)).astype(np.float32)
    y = rng.normal(40.0, 7.0, 500).astype(np.float32)
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", y)
    stream = ml.data.open_stream(f"npy:{tmp_path}", task="regression", rows_per_chunk=37)
    encoder = stream.encoder
    assert encoder.classes is None
    assert encoder.target_mean == pytest.approx(y.astype(np.float64).mean(), rel=1e-12)
    assert encoder.target_std == pytest.approx(y.astype(np.float64).std(), rel=1e-12)
    _, targets = stream.read(0)
    np.testing.assert_array_equal(targets, y[:37])  # given back unscaled


def test_regression_fit_on_a_stream_equals_fit_in_memory(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 4)).astype(np.float32)
    y = (X @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.1).astype(np.float32)
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", y)
    stream = ml.data.open_stream(f"npy:{tmp_path}", task="regression", rows_per_chunk=50,
                                 standardize=False)
    models = []
    for data in ((stream,), (X, y)):
        model = ml.nn.Sequential(ml.nn.Linear(4, 8), ml.nn.Tanh(), ml.nn.Linear(8, 1))
        ml.train.Trainer(model, "mse", "adam", seed=2, verbose=0).fit(*data, epochs=3,
                                                                       batch_size=25)
        models.append(model)
    for name, value in models[0].state_dict().items():
        assert np.array_equal(value, models[1].state_dict()[name]), name


def test_a_missing_regression_target_is_one_line(tmp_path):
    y = np.ones(20, dtype=np.float32)
    y[7] = np.nan
    np.save(tmp_path / "X.npy", np.ones((20, 2), dtype=np.float32))
    np.save(tmp_path / "y.npy", y)
    with pytest.raises(ParameterError, match=r"the target is nan in row 7 of a chunk; a "
                                             r"regression target must be a finite number"):
        ml.data.open_stream(f"npy:{tmp_path}", task="regression")


@pytest.mark.slow
def test_streamed_mnist_learns(tmp_path, datasets_dir):
    (X, y), (X_test, y_test) = ml.data.load_mnist(datasets_dir / "mnist")
    np.save(tmp_path / "X.npy", X[:12000].reshape(12000, -1))
    np.save(tmp_path / "y.npy", y[:12000])
    stream = ml.data.open_stream(f"npy:{tmp_path}", rows_per_chunk=1000, buffer_rows=3000)
    model = ml.nn.Sequential(ml.nn.Linear(784, 64), ml.nn.ReLU(), ml.nn.Linear(64, 10))
    trainer = ml.train.Trainer(model, "cross_entropy", "adam", seed=0, verbose=0,
                               metrics=["accuracy"])
    trainer.fit(stream, epochs=2, batch_size=64)
    X_test = stream.encoder.scaler.transform(X_test[:2000].reshape(2000, -1))
    assert trainer.evaluate(X_test, y_test[:2000])["accuracy"] > 0.9


@pytest.mark.parametrize("make, message", [
    (lambda p: NpySource(p / "missing.npy"), "no features file"),
    (lambda p: NpySource(p / "t.csv"), "is not a .npy file"),
    (lambda p: ParquetSource(p / "t.csv"), "is not a Parquet file"),
    (lambda p: ParquetSource(p / "t.parquet", target="lable"), "did you mean 'label'"),
    (lambda p: CsvSource(p / "t.csv", target="colr"), "no column 'colr'"),
    (lambda p: ml.data.open_stream(str(p / "t.parquet")), "FORMAT:PATH"),
    (lambda p: Stream(ParquetSource(p / "t.parquet")).split_off(0.99), "leaves no chunk"),
])
def test_bad_input_is_one_line(table, make, message):
    folder = table[0]
    with pytest.raises((ParameterError, FileNotFoundError)) as err:
        make(folder)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_fit_refuses_y_and_validation_split_with_a_stream(table):
    stream = Stream(ParquetSource(table[0] / "t.parquet"))
    trainer = ml.train.Trainer(_network(), "cross_entropy", "sgd", verbose=0)
    with pytest.raises(ParameterError, match="without y"):
        trainer.fit(stream, np.zeros(3), epochs=1)
    with pytest.raises(ParameterError, match="split_off"):
        trainer.fit(stream, epochs=1, validation_split=0.1)
