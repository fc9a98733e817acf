"""``mlplab.data``: datasets, mini-batch loaders, splits, scaling and augmentation.

Everything returns plain NumPy arrays: X float32 features, y int64 class ids.
See docs/data.md for the user guide.
"""

from mlplab.data.augment import Augmenter, Compose, affine_images
from mlplab.data.csv_files import load_csv, read_csv_columns
from mlplab.data.datasets import (
    ADULT_COLUMNS,
    FASHION_MNIST_CLASSES,
    cache_dir,
    load_adult,
    load_digits,
    load_fashion_mnist,
    load_mnist,
)
from mlplab.data.idx import read_idx, write_idx
from mlplab.data.loader import DataLoader
from mlplab.data.preprocessing import (
    MinMaxScaler,
    Standardizer,
    one_hot,
    train_dev_test_split,
    train_test_split,
)
from mlplab.data.streaming import (
    CsvSource,
    NpySource,
    ParquetSource,
    Stream,
    StreamEncoder,
    StreamLoader,
    open_stream,
)
from mlplab.data.synthetic import and_gate, circles, gaussians, moons, or_gate, spirals, xor
from mlplab.data.tabular import TabularData, TabularEncoder
from mlplab.data.validation import check_array, check_labels, check_X_y

# --- text: load_text and the text utilities are re-exported here (owned by the text module) ---
# isort: split
from mlplab.data.text import TextFileError, encode_labels, load_text, read_label_names
from mlplab.data.tokenize import (
    char_ngrams,
    char_tokens,
    english_words,
    get_tokenizer,
    jieba_words,
    register_tokenizer,
)
from mlplab.data.vectorize import TextVectorizer

__all__ = [
    # synthetic
    "xor", "or_gate", "and_gate", "circles", "moons", "spirals", "gaussians",
    # datasets
    "load_digits", "load_mnist", "load_fashion_mnist", "load_adult", "load_csv",
    "read_idx", "write_idx", "cache_dir", "ADULT_COLUMNS", "FASHION_MNIST_CLASSES",
    "TabularData", "TabularEncoder", "read_csv_columns",
    # loading, splitting, scaling
    "DataLoader", "train_dev_test_split", "train_test_split",
    "Standardizer", "MinMaxScaler", "one_hot",
    # data larger than memory
    "Stream", "open_stream", "NpySource", "ParquetSource", "CsvSource", "StreamEncoder",
    "StreamLoader",
    # augmentation
    "Augmenter", "Compose", "affine_images",
    # validation
    "check_X_y", "check_array", "check_labels",
    # text
    "load_text", "read_label_names", "encode_labels", "TextFileError", "TextVectorizer",
    "english_words", "jieba_words", "char_tokens", "char_ngrams", "get_tokenizer",
    "register_tokenizer",
]  # fmt: skip
