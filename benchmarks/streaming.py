"""Training on data larger than memory: peak memory and throughput of ``ml.data.Stream``.

For each size (GB) the script writes a float32 ``.npy`` table and a Parquet copy (row
groups of 65536 rows) into a temporary folder (deleted at the end), and trains a
64-256-10 MLP (Adam, batch 128) on the first whole chunks covering ``--batches``
mini-batches, streamed through a 131072-row shuffle buffer. Each figure comes from a
fresh process:

- peak MiB: the peak resident memory of a process that fits the preprocessing in one
  pass over the whole file and trains on the stream ("in memory": one that loads the
  whole file and standardizes it, smallest size only);
- rows/s alone: the speed of ``fit`` in that process;
- rows/s and vs memory: one process trains in memory (exactly the rows trained, so
  the file's size does not matter) and on both streams, alternated ``--rounds``
  times; the ratio is taken within each round and its median printed, so the
  machine's slow and fast phases cancel out.

    python benchmarks/streaming.py --sizes 1 4 --batches 2000
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

FEATURES = 64
ROWS_PER_WRITE = 1 << 20
BATCH = 128
ROWS_PER_CHUNK = 65536  # rows per .npy chunk and per Parquet row group
BUFFER_ROWS = 131072


def write_table(folder: Path, gigabytes: float, seed: int = 0) -> int:
    """X.npy (rows, FEATURES) float32 of about ``gigabytes`` and y.npy; returns rows."""
    rows = int(gigabytes * 2**30 / (FEATURES * 4))
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(FEATURES, 10)).astype(np.float32)
    X = np.lib.format.open_memmap(folder / "X.npy", "w+", np.float32, (rows, FEATURES))
    y = np.lib.format.open_memmap(folder / "y.npy", "w+", np.int64, (rows,))
    for start in range(0, rows, ROWS_PER_WRITE):
        block = rng.normal(size=(min(ROWS_PER_WRITE, rows - start), FEATURES))
        X[start:start + len(block)] = block
        y[start:start + len(block)] = np.argmax(block.astype(np.float32) @ w, axis=1)
    X.flush(), y.flush()
    del X, y
    return rows


def write_parquet(folder: Path, rows_per_group: int = ROWS_PER_CHUNK) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    X = np.load(folder / "X.npy", mmap_mode="r")
    y = np.load(folder / "y.npy", mmap_mode="r")
    names = [f"x{j}" for j in range(FEATURES)] + ["label"]
    schema = pa.schema([(n, pa.float32()) for n in names[:-1]] + [("label", pa.int64())])
    with pq.ParquetWriter(folder / "t.parquet", schema) as writer:
        for start in range(0, len(y), rows_per_group):
            block = np.array(X[start:start + rows_per_group])
            labels = np.array(y[start:start + rows_per_group])
            columns = [block[:, j] for j in range(FEATURES)] + [labels]
            writer.write_table(pa.table(columns, schema=schema))


def peak_mib() -> float:
    """This process's peak resident memory. Linux's VmHWM belongs to the program now
    running; ``ru_maxrss`` would also count the parent's memory at the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _trainer() -> object:
    import mlplab as ml

    model = ml.nn.Sequential(ml.nn.Linear(FEATURES, 256), ml.nn.ReLU(), ml.nn.Linear(256, 10))
    return ml.train.Trainer(model, "cross_entropy", "adam", seed=0, verbose=0)


def _streams(folder: Path, chunks: int) -> dict[str, object]:
    """The first ``chunks`` chunks of the .npy and Parquet copies, as Streams (encoders
    fitted in one pass over the whole file)."""
    import mlplab as ml

    out = {}
    for name, spec in (("npy", f"npy:{folder}"), ("parquet", f"parquet:{folder / 't.parquet'}")):
        whole = ml.data.open_stream(spec, target="label", rows_per_chunk=ROWS_PER_CHUNK,
                                    buffer_rows=BUFFER_ROWS)
        out[name] = ml.data.Stream(whole.source, encoder=whole.encoder,
                                   buffer_rows=BUFFER_ROWS, chunks=np.arange(chunks))
    return out


def _fit_seconds(data: tuple) -> float:
    trainer = _trainer()
    start = time.perf_counter()
    trainer.fit(*data, epochs=1, batch_size=BATCH)
    return time.perf_counter() - start


def memory_child(folder: Path) -> None:
    """Peak memory of loading the whole file and standardizing it, as in-memory training
    needs (its speed is measured in ``compare_child``)."""
    import mlplab as ml

    X, y = np.load(folder / "X.npy"), np.load(folder / "y.npy")
    X = ml.data.Standardizer().fit(X).transform(X)
    print(json.dumps({"peak_mib": peak_mib(), "rows": len(y)}))


def stream_child(spec: str, chunks: int) -> None:
    """Peak memory and speed of training on a stream, alone in its process."""
    import mlplab as ml

    whole = ml.data.open_stream(spec, target="label", rows_per_chunk=ROWS_PER_CHUNK,
                                buffer_rows=BUFFER_ROWS)
    part = ml.data.Stream(whole.source, encoder=whole.encoder, buffer_rows=BUFFER_ROWS,
                          chunks=np.arange(chunks))
    seconds = _fit_seconds((part,))
    print(json.dumps({"peak_mib": peak_mib(), "rows_per_s": part.n_rows / seconds}))


def compare_child(folder: Path, chunks: int, rounds: int) -> None:
    """Rows/s in memory and streamed, alternated in one process, on the same rows.

    The in-memory run holds exactly the rows trained (the first ``chunks`` chunks,
    standardized with the same statistics), so its speed does not depend on the file's
    size. Each round times the three runs one after the other; a ratio is taken within
    a round and the median over the rounds is printed, so the machine's slow and fast
    phases cancel out.
    """
    streams = _streams(folder, chunks)
    rows = chunks * ROWS_PER_CHUNK
    X = np.load(folder / "X.npy", mmap_mode="r")[:rows]
    X = streams["npy"].encoder.scaler.transform(np.asarray(X)).astype(np.float32)
    y = np.array(np.load(folder / "y.npy", mmap_mode="r")[:rows])
    times: dict[str, list[float]] = {"memory": [], "npy": [], "parquet": []}
    for _ in range(rounds):
        times["memory"].append(_fit_seconds((X, y)))
        for name, stream in streams.items():
            times[name].append(_fit_seconds((stream,)))
    memory = np.array(times["memory"])
    print(json.dumps({"rows": rows, "memory_rows_per_s": float(np.median(rows / memory)),
                      **{f"{name}_ratio": float(np.median(memory / np.array(times[name])))
                         for name in ("npy", "parquet")}}))


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1.0, 4.0])
    parser.add_argument("--batches", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3, help="alternated rounds of timing")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    chunks = -(-args.batches * BATCH // ROWS_PER_CHUNK)  # whole chunks: the rows trained
    if args.child:
        kind, where = args.child[0], args.child[1]
        if kind == "memory":
            return memory_child(Path(where))
        if kind == "stream":
            return stream_child(where, chunks)
        return compare_child(Path(where), chunks, args.rounds)
    root = Path(tempfile.mkdtemp(prefix="mlplab-stream-"))
    head = (f"{'file':>6} {'run':>15} {'peak MiB':>9} {'rows/s alone':>13} "
            f"{'rows/s':>10} {'vs memory':>9}")
    try:
        print(f"training {chunks * ROWS_PER_CHUNK:,} rows, batch {BATCH}, 64-256-10 MLP, "
              f"Adam; shuffle buffer {BUFFER_ROWS:,} rows; {args.rounds} alternated rounds")
        print(head)
        for i, gb in enumerate(sorted(args.sizes)):
            folder = root / f"{gb:g}gb"
            folder.mkdir()
            rows = write_table(folder, gb)
            write_parquet(folder)
            size = f"{gb:g} GB"
            cmp = run_child("--child", "compare", str(folder), "--batches", str(args.batches),
                            "--rounds", str(args.rounds))
            memory = (run_child("--child", "memory", str(folder))["peak_mib"] if i == 0
                      else float("nan"))  # loading a large file whole: only the smallest
            print(f"{size:>6} {'in memory':>15} {memory:>9.0f} {'':>13} "
                  f"{cmp['memory_rows_per_s']:>10,.0f} {1:>9.2f}", flush=True)
            for name, spec in (("npy", f"npy:{folder}"),
                               ("parquet", f"parquet:{folder / 't.parquet'}")):
                alone = run_child("--child", "stream", spec, "--batches", str(args.batches))
                speed = cmp["memory_rows_per_s"] * cmp[f"{name}_ratio"]
                print(f"{size:>6} {name + ' stream':>15} {alone['peak_mib']:>9.0f} "
                      f"{alone['rows_per_s']:>13,.0f} {speed:>10,.0f} "
                      f"{cmp[f'{name}_ratio']:>9.2f}", flush=True)
            print(f"{size:>6} = {rows:,} rows x {FEATURES} float32 features", flush=True)
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
