"""Text classification from raw text: softmax regression and an MLP on sparse TF-IDF.

Runs on the THUCNews headlines (Chinese) and, if present, 20 Newsgroups (English)
from the shared datasets folder (``--data`` or ``$MLPLAB_DATA``); with
``--quick`` it trains on stratified random subsets, 5,000 headlines and 3,000
posts (about 20 seconds).

    python examples/text_classification.py --quick
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from mlplab.data import load_text, train_test_split
from mlplab.text import TextClassifier

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def quick_subset(texts: list[str], y, size: int):
    """A stratified random subset of ``size`` examples.

    Not the first ``size`` rows: 20 Newsgroups is sorted by newsgroup, so a prefix
    would hold only the first few classes and the model could never learn the rest.
    """
    _, (texts, y) = train_test_split(texts, y, test=size / len(texts), stratify=True, seed=0)
    return texts, y


def thucnews(data: Path, quick: bool) -> None:
    texts, y, names = load_text(data / "thucnews_titles" / "train.txt")
    test_texts, test_y, _ = load_text(data / "thucnews_titles" / "test.txt", label_names=names)
    if quick:
        texts, y = quick_subset(texts, y, 5000)
    print(f"THUCNews: {len(texts)} training headlines, classes: {', '.join(names)}")

    # 1. softmax regression on character 1–2-grams: z = W x + b, a = softmax(z)
    softmax = TextClassifier("softmax", vectorizer="chinese_chars", seed=0)
    softmax.fit(texts, y, class_names=names)
    acc = softmax.evaluate(test_texts, test_y)["accuracy"]
    print(f"  softmax regression   test accuracy {acc:.4f}"
          f"  ({softmax.vectorizer.n_features_out} features)")

    # 2. one hidden layer of 64 ReLU units with dropout, on jieba words + character n-grams
    mlp = TextClassifier("mlp", vectorizer="chinese", seed=0, verbose=0)
    mlp.fit(texts, y, class_names=names)
    acc = mlp.evaluate(test_texts, test_y)["accuracy"]
    print(f"  MLP (64 relu)        test accuracy {acc:.4f}")

    # 3. save: weights + vocabulary + idf + class names in one safe file; reload; predict
    path = mlp.save(Path(tempfile.mkdtemp()) / "thucnews_mlp.safetensors")
    model = TextClassifier.load(path)
    for headline in ["国足3比0完胜对手晋级世界杯决赛圈", "央行宣布下调存款准备金率0.5个百分点"]:
        top = ", ".join(f"{name} {p:.2f}" for name, p in model.top_k([headline], k=3)[0])
        print(f"  {headline} -> {top}")


def newsgroups(data: Path, quick: bool) -> None:
    folder = data / "20newsgroups_bydate"
    texts, y, names = load_text(folder / "train.jsonl.gz")
    test_texts, test_y, _ = load_text(folder / "test.jsonl.gz", label_names=names)
    if quick:
        texts, y = quick_subset(texts, y, 3000)
    mlp = TextClassifier("mlp", vectorizer="english", batch_size=256, epochs=5, seed=0)
    mlp.fit(texts, y, class_names=names)
    print(f"20 Newsgroups MLP test accuracy {mlp.evaluate(test_texts, test_y)['accuracy']:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get("MLPLAB_DATA", DEFAULT_DATA)))
    parser.add_argument("--quick", action="store_true", help="train on a subset")
    args = parser.parse_args()
    if not (args.data / "thucnews_titles").is_dir():
        raise SystemExit(f"no THUCNews folder under {args.data}; pass --data DIR")
    thucnews(args.data, args.quick)
    if (args.data / "20newsgroups_bydate").is_dir():
        newsgroups(args.data, args.quick)


if __name__ == "__main__":
    main()
