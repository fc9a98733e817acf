"""Text runs behind the command line: ``mlplab train --task text``, ``evaluate``, ``predict``.

    train file ──load_text──▶ texts, class ids ──TextVectorizer (fitted on train only)──▶ CSR
      ──Trainer (progress bar, early stopping on dev loss, CSV log)──▶ softmax regression / MLP
      ──evaluate on test──▶ metrics, per-class report, confusion matrix
      ──write──▶ runs/<name>/ model.safetensors (weights + vocabulary + idf + class names) …

Where the dev and test texts come from, in this order: ``[options] dev = PATH`` /
``test = PATH``; files named ``dev.*`` / ``test.*`` beside a training file named
``train.*`` (THUCNews and 20 Newsgroups ship so); else stratified random splits of
the training file (``validation_split``, ``test_split``).

Settings of a ``TrainConfig`` as the text task reads them: ``hidden`` [] is softmax
regression, [h] an MLP with h hidden ReLU units (``[options] model`` says the same in
words); ``dropout``, ``lr``, ``epochs``, ``batch_size``, ``weight_decay``,
``early_stopping``, ``patience``, ``seed`` as for images. Left out, lr/epochs/batch
take the model's defaults (``mlplab.text.classifier.TRAINING_DEFAULTS``). Settings
that only make sense for dense inputs (activation, init, schedule, augmentation, …)
raise an error when changed, rather than being silently ignored.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.data.text import FORMATS, load_text
from mlplab.text.classifier import TRAINING_DEFAULTS, VECTORIZER_PRESETS, TextClassifier

__all__ = ["TEXT_OPTIONS", "detect_language", "evaluate_model", "parse_text_source",
           "predict_file", "read_texts", "resolve_text_config", "run_text_experiment",
           "top_classes"]

TEXT_OPTIONS = ("model", "features", "dev", "test", "text_field", "label_field")
"""Keys the text task reads from ``[options]``."""

_DENSE_ONLY = ("activation", "init", "schedule", "momentum", "label_smoothing",
               "clip_grad_norm", "standardize", "augment", "augment_shift", "augment_rotate")


# --------------------------------------------------------------------------- sources
def parse_text_source(spec: str | Path) -> tuple[str | None, Path]:
    """``'tsv:PATH'`` → ('tsv', PATH); ``'PATH'`` → (None, PATH): the format is guessed.

    >>> parse_text_source("jsonl:data/train.jsonl.gz")
    ('jsonl', PosixPath('data/train.jsonl.gz'))
    """
    text = str(spec)
    prefix, sep, rest = text.partition(":")
    if sep and prefix in FORMATS:
        return prefix, Path(rest)
    if sep and prefix.isalpha() and len(prefix) > 1 and not Path(text).exists():
        raise ValueError(f"data: unknown text format {prefix!r} in {text!r}; write tsv:PATH "
                         "or jsonl:PATH")
    return None, Path(text)


def detect_language(texts: list[str], sample: int = 2000) -> str:
    """'chinese' if at least 30% of the letters in a sample are CJK ideographs, else 'english'."""
    cjk = letters = 0
    for text in texts[:sample]:
        for ch in text:
            if ch.isalpha():
                letters += 1
                cjk += "\u4e00" <= ch <= "\u9fff"
    return "chinese" if letters and cjk / letters >= 0.3 else "english"


def _sibling(train_path: Path, role: str) -> Path | None:
    """``dir/test.txt`` for ``dir/train.txt`` (role 'test'), when that file exists."""
    if not train_path.name.startswith("train"):
        return None
    candidate = train_path.with_name(role + train_path.name[len("train"):])
    return candidate if candidate.is_file() else None


def _run_name(train_path: Path) -> str:
    """'thucnews_titles' for thucnews_titles/train.txt, 'reviews' for reviews.tsv."""
    stem = train_path.name.split(".")[0]
    if stem == "train" and train_path.parent.name not in ("", "."):
        return train_path.parent.name
    return stem or "text"


# --------------------------------------------------------------------------- config
def resolve_text_config(config: Any) -> Any:
    """Check a text-task ``TrainConfig`` and make its automatic choices explicit.

    Returns a copy whose ``options`` name the model, and the dev and test files found
    beside the training file, and whose lr/epochs/batch_size/hidden/dropout are the
    values used, so the ``config.toml`` a run writes repeats the run exactly.
    """
    from mlplab.runs.config import TrainConfig, closest_hint

    options = dict(config.options)
    for key in options:
        if key not in TEXT_OPTIONS:
            raise ValueError(f"options: the text task has no option {key!r}."
                             f"{closest_hint(key, TEXT_OPTIONS)} Valid: {', '.join(TEXT_OPTIONS)}")
    defaults = TrainConfig.model_fields
    for name in _DENSE_ONLY:
        if getattr(config, name) != defaults[name].default:
            raise ValueError(f"{name}: the text task does not use this setting (it trains "
                             "softmax regression or a one-hidden-layer ReLU MLP on TF-IDF); "
                             "remove it")
    if config.optimizer != "adam":
        raise ValueError(f"optimizer: the text task trains with adam, received "
                         f"{config.optimizer!r}; remove the optimizer setting")
    explicit = config.model_fields_set
    model = options.get("model")
    if model is None:
        model = "mlp" if "hidden" in explicit and config.hidden else "softmax"
    if model not in TRAINING_DEFAULTS:
        raise ValueError(f"options.model: expected 'softmax' or 'mlp', received {model!r}")
    if model == "softmax":
        if "hidden" in explicit and config.hidden:
            raise ValueError(f"hidden: softmax regression has no hidden layer, received "
                             f"{config.hidden}; set hidden = [] or model = \"mlp\"")
        if config.dropout:
            raise ValueError("dropout: softmax regression has no hidden layer to drop units "
                             "from; remove dropout or set model = \"mlp\"")
        hidden, dropout = [], 0.0
    else:
        hidden = config.hidden if "hidden" in explicit and config.hidden else [64]
        if len(hidden) != 1:
            raise ValueError(f"hidden: the text MLP has one hidden layer, received {hidden}; "
                             "e.g. hidden = [64]")
        dropout = config.dropout if "dropout" in explicit else 0.5
    features = options.get("features", "auto")
    if features != "auto" and features not in VECTORIZER_PRESETS:
        raise ValueError(f"options.features: expected 'auto' or one of "
                         f"{', '.join(VECTORIZER_PRESETS)}, received {features!r}"
                         f"{closest_hint(str(features), list(VECTORIZER_PRESETS))}")
    train_path = Path(config.data_spec.path)
    for role in ("dev", "test"):
        if role in options:
            if not Path(options[role]).is_file():
                raise FileNotFoundError(f"options.{role}: file not found: {options[role]}")
        elif (found := _sibling(train_path, role)) is not None:
            options[role] = str(found)
    update: dict[str, Any] = {"options": {**options, "model": model, "features": features},
                              "hidden": hidden, "dropout": dropout}
    for key, value in TRAINING_DEFAULTS[model].items():
        if key not in explicit:
            update[key] = value
    if config.name is None:
        update["name"] = _run_name(train_path)
    return config.model_copy(update=update)


# --------------------------------------------------------------------------- train
def _load(path: str | Path, options: dict[str, Any], label_names: Any = None,
          fmt: str | None = None) -> tuple[list[str], np.ndarray, list[str]]:
    if fmt is None:
        fmt, path = parse_text_source(path)
    return load_text(path, format=fmt, text_field=options.get("text_field", "text"),
                     label_field=options.get("label_field", "label"), label_names=label_names)


def _take(texts: list[str], y: np.ndarray, idx: np.ndarray) -> tuple[list[str], np.ndarray]:
    return [texts[i] for i in idx], y[idx]


def run_text_experiment(config: Any, console: Any = None) -> Any:
    """Train and evaluate a text classifier as ``config`` says; write the run folder.

    Returns an ``mlplab.runs.RunResult``; its ``model`` is the ``ml.nn`` module and
    ``test_features`` the test texts.
    """
    from mlplab.data.splits import split_indices
    from mlplab.runs.artifacts import write_artifacts
    from mlplab.runs.experiment import RunResult, kept_epoch, run_callbacks

    start = time.perf_counter()
    if not Path(config.data_spec.path).is_file():
        raise FileNotFoundError(f"data: file not found: {config.data_spec.path}; pass "
                                "tsv:PATH (text<TAB>label lines) or jsonl:PATH")
    config = resolve_text_config(config)
    options = config.options
    texts, y, names = _load(config.data_spec.path, options, fmt=config.data_spec.kind)
    n = len(texts)
    test = _load(options["test"], options, names)[:2] if "test" in options else None
    dev = _load(options["dev"], options, names)[:2] if "dev" in options else None
    n_test = 0 if test is not None else round(config.test_split * n)
    n_dev = 0 if dev is not None else round(config.validation_split * n)
    if test is None and n_test == 0:
        raise ValueError("test: no test texts; put test.<ext> beside train.<ext>, set "
                         "[options] test = PATH, or test_split > 0")
    test_idx, dev_idx, train_idx = split_indices(n, [n_test, n_dev], y=y, seed=config.seed)
    if test is None:
        test = _take(texts, y, test_idx)
    if dev is None and n_dev:
        dev = _take(texts, y, dev_idx)
    train = _take(texts, y, train_idx) if n_test or n_dev else (texts, y)

    features = options["features"]
    if features == "auto":
        features = detect_language(train[0])
        config = config.model_copy(update={"options": {**options, "features": features}})
    clf = TextClassifier(options["model"], vectorizer=features,
                         hidden=config.hidden[0] if config.hidden else 64,
                         dropout=config.dropout if config.hidden else 0.5, lr=config.lr,
                         epochs=config.epochs, batch_size=config.batch_size,
                         weight_decay=config.weight_decay,
                         seed=config.seed)
    run_dir = config.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    callbacks = run_callbacks(config, run_dir, dev is not None, console)
    if console is not None:
        console.print(f"[bold]{config.data}[/bold]: {len(train[0])} train / "
                      f"{0 if dev is None else len(dev[0])} dev / {len(test[0])} test texts, "
                      f"{len(names)} classes; {options['model']} on {features} TF-IDF; "
                      f"run folder {run_dir}", highlight=False)
    clf.fit(*train, class_names=names, validation_data=dev, callbacks=callbacks)

    metrics = {"train": clf.evaluate(*train)}
    if dev is not None:
        metrics["dev"] = clf.evaluate(*dev)
    metrics["test"] = clf.evaluate(*test)
    proba = clf.predict_proba(test[0])
    width = clf.vectorizer.n_features_out
    architecture = (f"TF-IDF {width} → softmax {len(names)}" if options["model"] == "softmax"
                    else f"TF-IDF {width} → {config.hidden[0]} ReLU → dropout {config.dropout}"
                         f" → softmax {len(names)}")
    metadata = {"task": "text", "class_names": names, "input_width": width,
                "config": config.to_dict(), "data": {"source": config.data, "kind": "text"},
                "test_metrics": metrics["test"], **clf.metadata()}
    history = clf.history
    written = write_artifacts(run_dir, clf.model, metadata, config, history.history, metrics,
                              test[1], proba, names)
    best = kept_epoch(callbacks)
    return RunResult(
        config=config, run_dir=run_dir, files=written["files"], metrics=metrics,
        class_names=names, report=written["report"], report_text=written["report_text"],
        confusion=written["confusion"], reading=written["reading"],
        history={k: list(v) for k, v in history.history.items()},
        epochs_run=len(history.epoch), best_epoch=best, stopped_reason=history.stopped_reason,
        architecture=architecture,
        sizes={"train": len(train[0]), "dev": 0 if dev is None else len(dev[0]),
               "test": len(test[0])},
        seconds=time.perf_counter() - start, model=clf.model, test_features=test[0],
        test_predictions=proba.argmax(axis=1), test_proba=proba,
    )


# --------------------------------------------------------------------------- use a model
def read_texts(path: str | Path, text_field: str = "text") -> list[str]:
    """Texts to classify: JSON Lines (``.jsonl``, gzip allowed; the ``text_field`` of each
    line) or any other text file, one text per non-blank line."""
    import gzip
    import json

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"input: file not found: {path}")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"input: {path} is not UTF-8 text; convert it, e.g. iconv -f GB18030 "
                         "-t UTF-8") from None
    lines = [line for line in content.split("\n") if line.strip()]
    if not lines:
        raise ValueError(f"input: {path} holds no texts")
    if ".jsonl" not in path.suffixes and ".json" not in path.suffixes:
        return [line.rstrip("\r") for line in lines]
    texts = []
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise ValueError(f"input: {path} line {number} is not JSON") from None
        if not isinstance(record, dict) or not isinstance(record.get(text_field), str):
            raise ValueError(f"input: {path} line {number} has no string field "
                             f"{text_field!r}")
        texts.append(record[text_field])
    return texts


def predict_file(model_path: str | Path, input_path: str | Path,
                 output: str | Path | None = None) -> Any:
    """Classes and probabilities of every text in ``input_path`` (see :func:`read_texts`)."""
    from mlplab.runs.predict import Predictions

    clf = TextClassifier.load(model_path)
    return Predictions.from_proba(clf.predict_proba(read_texts(input_path)), clf.class_names,
                                  output)


def top_classes(model_path: str | Path, texts: str | list[str], top: int = 3) -> list[dict]:
    """The ``top`` most probable classes of each text, as table rows.

    Each row: ``{"text": i, "rank": r, "class": name, "probability": p}`` (``text`` is
    the index of the input text, ranks start at 1). Words the model never saw are
    ignored; an empty text raises an error.
    """
    clf = TextClassifier.load(model_path)
    texts = [texts] if isinstance(texts, str) else list(texts)
    rows = []
    for i, best in enumerate(clf.top_k(texts, k=top)):
        for rank, (name, p) in enumerate(best, 1):
            rows.append({"text": i, "rank": rank, "class": name, "probability": p})
    return rows


def evaluate_model(model_path: str | Path, data: str | Path, split: str = "all") -> Any:
    """Loss, accuracy, per-class report and confusion matrix of a saved text model on a
    labelled file (``tsv:PATH``, ``jsonl:PATH`` or a path). Every text is used (``split``
    is accepted for the command line's sake); labels the model never saw raise an error.
    """
    from mlplab.runs.predict import Evaluation
    from mlplab.train.metrics import confusion_matrix, format_report, precision_recall_f1_report

    clf = TextClassifier.load(model_path)
    texts, y, _ = _load(data, {}, clf.class_names)
    metrics = clf.evaluate(texts, y)
    proba = clf.predict_proba(texts)
    names = clf.class_names
    report = precision_recall_f1_report(y, proba, names)
    cm = confusion_matrix(y, proba.argmax(axis=1), num_classes=len(names))
    return Evaluation(metrics, len(y), "all", str(data), names, report, format_report(report),
                      cm)
