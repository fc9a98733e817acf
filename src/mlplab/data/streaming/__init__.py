"""Training data larger than memory: chunked sources, one-pass preprocessing, shuffling.

- sources: :class:`NpySource` (memory-mapped ``.npy``), :class:`ParquetSource` (row
  groups), :class:`CsvSource` (blocks of lines); Parquet and CSV need pyarrow;
- :class:`StreamEncoder`: standardization, one-hot and class ids fitted in one pass;
- :class:`StreamLoader`: seeded mini-batches through a shuffle buffer, resumable
  mid-epoch;
- :class:`Stream` / :func:`open_stream`: the three together; ``Trainer.fit(stream)``.
"""

from mlplab.data.streaming.csv_source import CsvSource
from mlplab.data.streaming.encoder import StreamEncoder
from mlplab.data.streaming.npy_source import NpySource
from mlplab.data.streaming.parquet_source import ParquetSource
from mlplab.data.streaming.shuffle_buffer import StreamLoader
from mlplab.data.streaming.source import Chunk, ChunkSource
from mlplab.data.streaming.stream import Stream, open_source, open_stream

__all__ = ["Chunk", "ChunkSource", "CsvSource", "NpySource", "ParquetSource", "Stream",
           "StreamEncoder", "StreamLoader", "open_source", "open_stream"]
