"""Points from a CSV upload: ``x1,x2,label`` (classification) or ``x1,x2,target``.

The text is parsed, never executed. A header line is optional (it is recognized by a
non-numeric first field). Limits: 5 MB and 100,000 rows. Classification labels are
class indices 0 … K−1 (2 ≤ K ≤ 5) or TF's −1/+1 (read as 0/1); regression targets must
lie in [−1, 1]; x1 and x2 must be finite. Points outside [−6, 6]² are kept but drawn
off the map. The points are shuffled by the data seed and split by percTrainData.
Every problem is reported in one line naming the row.
"""

from __future__ import annotations

import numpy as np

from mlplab.checks import ParameterError
from mlplab.playground.config import PlaygroundConfig
from mlplab.playground.datasets import PlaygroundData

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000


def _fail(text: str) -> ParameterError:
    return ParameterError(f"CSV upload: {text}")


def parse_rows(text: str) -> np.ndarray:
    """(n, 3) float array of the data rows."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise _fail("the file is empty; e.g. a first row 'x1,x2,label' then '1.5,-2,1'")
    first = lines[0].split(",")[0].strip()
    try:
        float(first)
    except ValueError:
        lines = lines[1:]  # a header
    if not lines:
        raise _fail("the file has a header but no rows; e.g. add '1.5,-2,1'")
    if len(lines) > MAX_ROWS:
        raise _fail(f"at most {MAX_ROWS:,} rows, got {len(lines):,}; e.g. sample the rows")
    rows = np.empty((len(lines), 3))
    for number, line in enumerate(lines, start=1):
        fields = line.split(",")
        if len(fields) != 3:
            raise _fail(f"row {number} has {len(fields)} columns, expected 3 (x1,x2,label); "
                        f"e.g. '1.5,-2,1'")
        try:
            rows[number - 1] = [float(f) for f in fields]
        except ValueError:
            raise _fail(f"row {number} holds a value that is not a number: "
                        f"{line[:40]!r}; e.g. '1.5,-2,1'") from None
    bad = ~np.isfinite(rows).all(axis=1)
    if bad.any():
        raise _fail(f"row {int(np.argmax(bad)) + 1} holds NaN or infinity; e.g. '1.5,-2,1'")
    return rows


def labels_for(rows: np.ndarray, config: PlaygroundConfig) -> np.ndarray:
    values = rows[:, 2]
    if config.problem == "regression":
        if np.any(np.abs(values) > 1):
            row = int(np.argmax(np.abs(values) > 1)) + 1
            raise _fail(f"row {row}: a regression target must be in [-1, 1], got "
                        f"{values[row - 1]:g}; e.g. scale the targets first")
        return values
    if set(np.unique(values)) <= {-1.0, 1.0}:
        values = (values > 0).astype(float)  # TF's ±1 labels
    if np.any(values != np.round(values)) or values.min() < 0 or values.max() > 4:
        row = int(np.argmax((values != np.round(values)) | (values < 0) | (values > 4))) + 1
        raise _fail(f"row {row}: a label must be a class index 0 to 4 (or -1/1), got "
                    f"{rows[row - 1, 2]:g}; e.g. '1.5,-2,1'")
    return values.astype(np.int64)


def parse_csv(body: bytes, config: PlaygroundConfig) -> tuple[PlaygroundData, int]:
    """(data split by the config, number of classes found) from the uploaded bytes."""
    if len(body) > MAX_BYTES:
        raise _fail(f"the file is {len(body) / 2**20:.1f} MB; the limit is 5 MB")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail("the file is not UTF-8 text; e.g. save it as CSV (UTF-8)") from None
    rows = parse_rows(text)
    labels = labels_for(rows, config)
    order = np.random.default_rng(config.seed).permutation(len(rows))
    points, labels = rows[order, :2], labels[order]
    split = max(1, int(len(points) * config.perc_train_data / 100))
    classes = int(labels.max()) + 1 if config.problem == "classification" else 1
    return PlaygroundData(points[:split], labels[:split], points[split:], labels[split:]), \
        max(classes, 2) if config.problem == "classification" else 1
