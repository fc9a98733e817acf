"""Text classification side by side: mlplab vs PyTorch (sparse products) vs scikit-learn.

On the same TF-IDF features (fitted once per corpus with ``ml.data.TextVectorizer``)
it trains, in one process:

* mlplab softmax regression z = W x + b (Trainer, Adam lr 1e-2, batch 64);
* the same model in PyTorch: ``torch.sparse.mm`` on each batch (CSR and COO
  layouts), ``nn.Linear`` weights starting at zero, ``torch.optim.Adam`` lr 1e-2, batch 64;
* scikit-learn ``LogisticRegression`` (lbfgs) and ``LinearSVC``;
* with ``--mlp``: the one-hidden-layer MLP (64 ReLU units, dropout 0.5, Adam 3e-3)
  in mlplab and in PyTorch.

and prints test accuracy, training seconds and the ratio to mlplab's seconds.
Corpora: THUCNews headlines (character 1–2-grams, 3 epochs) and 20 Newsgroups
bydate (word unigrams, 5 epochs), read from ``--data`` or ``$MLPLAB_DATA``.

    python benchmarks/text.py                 # both corpora
    python benchmarks/text.py --corpus thucnews --mlp
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path

import numpy as np

import mlplab as ml
from mlplab.data import TextVectorizer, load_text
from mlplab.text import softmax_regression, text_mlp

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"

CORPORA = {
    "thucnews": dict(train="thucnews_titles/train.txt", test="thucnews_titles/test.txt",
                     features=dict(analyzer="char", ngram_range=(1, 2), sublinear_tf=True,
                                   min_df=2), epochs=3, mlp_epochs=4, mlp_batch=512),
    "20ng": dict(train="20newsgroups_bydate/train.jsonl.gz",
                 test="20newsgroups_bydate/test.jsonl.gz",
                 features=dict(analyzer="word", tokenizer="english", sublinear_tf=True),
                 epochs=5, mlp_epochs=5, mlp_batch=256),
}


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


# ----- mlplab ------------------------------------------------------------------------------------
def run_mlplab(model, X, y, Xt, yt, lr, epochs, batch_size):
    trainer = ml.train.Trainer(model, ml.nn.CrossEntropyLoss(),
                               ml.optim.Adam(model.parameters(), lr=lr), seed=0, verbose=0,
                               reinitialize=False)
    _, seconds = timed(lambda: trainer.fit(X, y, epochs=epochs, batch_size=batch_size))
    return float((trainer.predict(Xt) == yt).mean()), seconds


# ----- PyTorch -----------------------------------------------------------------------------------
def torch_batch(xb, layout):
    import torch

    if layout == "csr":
        return torch.sparse_csr_tensor(torch.from_numpy(xb.indptr.astype(np.int64)),
                                       torch.from_numpy(xb.indices.astype(np.int64)),
                                       torch.from_numpy(xb.data), size=xb.shape)
    coo = xb.tocoo()
    index = torch.from_numpy(np.vstack([coo.row, coo.col]).astype(np.int64))
    return torch.sparse_coo_tensor(index, torch.from_numpy(coo.data), size=coo.shape)


def run_torch(X, y, Xt, yt, n_classes, lr, epochs, batch_size, layout, hidden=0):
    import torch

    torch.manual_seed(0)
    d = X.shape[1]
    first = torch.nn.Linear(d, hidden or n_classes)
    layers = [first]
    if hidden:
        second = torch.nn.Linear(hidden, n_classes)
        layers.append(second)
    else:
        torch.nn.init.zeros_(first.weight)  # as mlplab's softmax_regression
        torch.nn.init.zeros_(first.bias)
    params = [p for layer in layers for p in layer.parameters()]
    optimizer = torch.optim.Adam(params, lr=lr)
    targets = torch.from_numpy(y)
    rng = np.random.default_rng(0)

    def forward(xb, train):
        z = torch.sparse.mm(xb, first.weight.t()) + first.bias
        if hidden:
            z = torch.nn.functional.dropout(torch.relu(z), 0.5, training=train)
            z = second(z)
        return z

    def train():
        for _ in range(epochs):
            order = rng.permutation(X.shape[0])
            for start in range(0, len(order), batch_size):
                idx = order[start:start + batch_size]
                loss = torch.nn.functional.cross_entropy(
                    forward(torch_batch(X[idx], layout), True), targets[idx])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()

    _, seconds = timed(train)
    with torch.no_grad():
        pred = torch.cat([forward(torch_batch(Xt[i:i + 2048], layout), False).argmax(1)
                          for i in range(0, Xt.shape[0], 2048)]).numpy()
    return float((pred == yt).mean()), seconds


# ----- scikit-learn ------------------------------------------------------------------------------
def run_sklearn(estimator, X, y, Xt, yt):
    _, seconds = timed(lambda: estimator.fit(X, y))
    return float((estimator.predict(Xt) == yt).mean()), seconds


def bench_corpus(name, spec, data, with_mlp, layouts):
    train = load_text(data / spec["train"])
    test = load_text(data / spec["test"], label_names=train[2])
    vectorizer = TextVectorizer(**spec["features"])
    (X, Xt), seconds = timed(lambda: (vectorizer.fit_transform(train[0]),
                                      vectorizer.transform(test[0])))
    y, yt, k = train[1], test[1], len(train[2])
    print(f"\n== {name}: {X.shape[0]} train / {Xt.shape[0]} test texts, {X.shape[1]} "
          f"features ({vectorizer!r}, {seconds:.1f} s) ==")
    epochs = spec["epochs"]
    rows = [(f"mlplab softmax regression ({epochs} ep)",
             run_mlplab(softmax_regression(X.shape[1], k), X, y, Xt, yt, 1e-2, epochs, 64))]
    for layout in layouts:
        rows.append((f"torch softmax, sparse {layout.upper()} ({epochs} ep)",
                     run_torch(X, y, Xt, yt, k, 1e-2, epochs, 64, layout)))
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    rows.append(("sklearn LogisticRegression (lbfgs)",
                 run_sklearn(LogisticRegression(max_iter=1000), X, y, Xt, yt)))
    rows.append(("sklearn LinearSVC", run_sklearn(LinearSVC(), X, y, Xt, yt)))
    if with_mlp:
        e, b = spec["mlp_epochs"], spec["mlp_batch"]
        rows.append((f"mlplab MLP 64 relu, dropout ({e} ep)",
                     run_mlplab(text_mlp(X.shape[1], k, 64, 0.5, seed=0), X, y, Xt, yt,
                                3e-3, e, b)))
        rows.append((f"torch MLP 64 relu, dropout, COO ({e} ep)",
                     run_torch(X, y, Xt, yt, k, 3e-3, e, b, "coo", hidden=64)))
    base = rows[0][1][1]
    print(f"{'model':44s} {'accuracy':>8s} {'seconds':>8s} {'÷ mlplab':>9s}")
    for label, (acc, sec) in rows:
        print(f"{label:44s} {acc:8.4f} {sec:8.1f} {sec / base:9.2f}")
    mlp_base = next((sec for label, (_, sec) in rows if label.startswith("mlplab MLP")), None)
    if mlp_base:
        torch_mlp = rows[-1][1][1]
        print(f"MLP: torch / mlplab seconds = {torch_mlp / mlp_base:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get("MLPLAB_DATA", DEFAULT_DATA)))
    parser.add_argument("--corpus", choices=[*CORPORA, "both"], default="both")
    parser.add_argument("--mlp", action="store_true", help="also time the one-hidden-layer MLP")
    parser.add_argument("--torch-layouts", default="csr,coo",
                        help="PyTorch sparse layouts to time (comma-separated: csr,coo)")
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="torch.set_num_threads (default: PyTorch's choice)")
    args = parser.parse_args()
    import torch

    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    warnings.filterwarnings("ignore", message=".*[Ss]parse.*")  # torch's beta-API notices
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), "
          f"{os.cpu_count()} CPUs; times are training only (features shared)")
    names = list(CORPORA) if args.corpus == "both" else [args.corpus]
    for name in names:
        bench_corpus(name, CORPORA[name], args.data, args.mlp, args.torch_layouts.split(","))


if __name__ == "__main__":
    main()
