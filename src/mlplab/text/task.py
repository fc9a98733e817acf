"""The ``text`` task of ``mlplab.runs``: ``mlplab train --task text``, ``evaluate``, ``predict``.

    train file ──load_text──▶ texts, class ids ──TextVectorizer (fitted on train only)──▶ CSR
      ──the run skeleton (Trainer, early stopping, CSV log)──▶ softmax regression / MLP
      ──evaluate on test──▶ metrics, per-class report, confusion matrix
      ──write──▶ runs/<name>/ model.safetensors (weights + vocabulary + idf + class names) …

Importing this module registers the task (``mlplab.runs.tasks.TASK_MODULES`` names it),
so ``mlplab.runs`` reaches it without importing ``mlplab.text``.

Settings as the text task reads them: ``hidden`` [] is softmax regression, [h] an MLP
with h hidden units (``[options] model`` says the same in words); left out, lr,
epochs and batch_size take the model's defaults (``TRAINING_DEFAULTS``). Activation,
initializer, normalization, optimizer, schedule and the regularizers work as for
dense data. Settings for dense inputs only (standardize, augmentation, input noise)
raise an error rather than being silently ignored. ``[options]``: ``model``,
``features`` (a vectorizer preset, or 'auto' to pick by language), ``dev``, ``test``
(files), ``text_field``, ``label_field`` (JSON Lines fields).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlplab.checks import unknown
from mlplab.runs.classify import ClassificationTask
from mlplab.runs.data import take
from mlplab.runs.models import per_layer
from mlplab.runs.tasks import Prepared, register_task
from mlplab.text.classifier import (
    TRAINING_DEFAULTS,
    VECTORIZER_PRESETS,
    classifier_metadata,
    make_vectorizer,
)
from mlplab.text.sources import detect_language, load_labelled, run_name_for, sibling_file

__all__ = ["TEXT_OPTIONS", "TextTask"]

TEXT_OPTIONS = ("model", "features", "dev", "test", "text_field", "label_field")
"""Keys the text task reads from ``[options]``."""

_DENSE_ONLY = ("standardize", "augment", "augment_shift", "gaussian_noise")


def _model_kind(config: Any) -> str:
    """'softmax' or 'mlp': the option when given, else 'mlp' exactly when hidden is set."""
    model = config.options.get("model")
    if model is None:
        return "mlp" if "hidden" in config.model_fields_set and config.hidden else "softmax"
    return model


def _check_model(config: Any) -> None:
    model, explicit = _model_kind(config), config.model_fields_set
    if model not in TRAINING_DEFAULTS:
        raise unknown("config: options", "text model", model, TRAINING_DEFAULTS)
    if model == "softmax":
        if "hidden" in explicit and config.hidden:
            raise ValueError(f"config: softmax regression has no hidden layer, got hidden="
                             f"{config.hidden}; set hidden=[] or model=\"mlp\"")
        if any(per_layer(config.dropout, 1, "dropout")):
            raise ValueError("config: dropout needs a hidden layer, and softmax regression has "
                             "none; remove dropout or set model=\"mlp\"")
    elif "hidden" in explicit and len(config.hidden) > 1:
        raise ValueError(f"config: the text MLP has one hidden layer, got hidden="
                         f"{config.hidden}; e.g. hidden=[64]")


def _files(config: Any) -> dict[str, str]:
    """The dev and test files: given in the options, else found beside the training file."""
    found: dict[str, str] = {}
    train_path = Path(config.data_spec.path)
    if not train_path.is_file():
        raise FileNotFoundError(f"data: file not found: {train_path}; pass tsv:PATH "
                                "(text<TAB>label lines) or jsonl:PATH")
    for role in ("dev", "test"):
        if role in config.options:
            if not Path(config.options[role]).is_file():
                raise FileNotFoundError(f"options.{role}: file not found: "
                                        f"{config.options[role]}")
        elif (sibling := sibling_file(train_path, role)) is not None:
            found[role] = str(sibling)
    return found


def _splits(config: Any) -> tuple[tuple, tuple | None, tuple, list[str]]:
    """(texts, ids) of train, dev and test, and the class names."""
    from mlplab.data.splits import split_indices

    options = config.options
    texts, y, names = load_labelled(config.data_spec.path, options, fmt=config.data_spec.kind)
    test = load_labelled(options["test"], options, names)[:2] if "test" in options else None
    dev = load_labelled(options["dev"], options, names)[:2] if "dev" in options else None
    n_test = 0 if test is not None else round(config.test_split * len(texts))
    n_dev = 0 if dev is not None else round(config.validation_split * len(texts))
    if test is None and n_test == 0:
        raise ValueError("config: no test texts; put test.<ext> beside train.<ext>, set "
                         "[options] test = PATH, or test_split > 0")
    test_idx, dev_idx, train_idx = split_indices(len(texts), [n_test, n_dev], y=y,
                                                 seed=config.seed)
    test = test if test is not None else (take(texts, test_idx), y[test_idx])
    if dev is None and n_dev:
        dev = (take(texts, dev_idx), y[dev_idx])
    train = (take(texts, train_idx), y[train_idx]) if n_test or n_dev else (texts, y)
    return train, dev, test, names


class TextTask(ClassificationTask):
    """K-class classification of texts, on TF-IDF features fitted on the training texts."""

    name = "text"
    data_kinds = ("tsv", "jsonl")
    options = TEXT_OPTIONS

    def check(self, config: Any) -> None:
        super().check(config)
        fields = type(config).model_fields
        for setting in _DENSE_ONLY:
            if getattr(config, setting) != fields[setting].default:
                raise ValueError(f"config: {setting} is for dense inputs (images, tables); the "
                                 "text task reads sparse TF-IDF features, remove it")
        _check_model(config)
        features = config.options.get("features", "auto")
        if features != "auto" and features not in VECTORIZER_PRESETS:
            raise unknown("config: options", "features", features, ["auto", *VECTORIZER_PRESETS])

    def resolve(self, config: Any) -> Any:
        """Model, hidden, dropout, init, training defaults, dev/test files and name made
        explicit, so the ``config.toml`` a run writes repeats the run exactly."""
        model, explicit = _model_kind(config), config.model_fields_set
        options = {**config.options, **_files(config), "model": model,
                   "features": config.options.get("features", "auto")}
        update: dict[str, Any] = {"options": options}
        if model == "softmax":
            update.update(hidden=[], dropout=0.0, init=config.init or "zeros")  # convex: 0 is fine
        else:
            update["hidden"] = config.hidden if "hidden" in explicit and config.hidden else [64]
            update["dropout"] = config.dropout if "dropout" in explicit else 0.5
        update.update({k: v for k, v in TRAINING_DEFAULTS[model].items() if k not in explicit})
        if config.name is None:
            update["name"] = run_name_for(Path(config.data_spec.path))
        return config.model_copy(update=update)

    def prepare(self, config: Any) -> Prepared:
        from mlplab.data.validation import check_two_classes

        train, dev, test, names = _splits(config)
        check_two_classes(train[1], names, owner=f"data: {config.data_spec.path}")
        if config.options["features"] == "auto":
            config = config.model_copy(update={"options": {
                **config.options, "features": detect_language(train[0])}})
        vectorizer = make_vectorizer(config.options["features"])
        X_train = vectorizer.fit_transform(train[0])
        dev_data = None if dev is None else (vectorizer.transform(dev[0]), dev[1])
        settings = {"model": config.options["model"], "hidden": (config.hidden or [64])[0],
                    "dropout": per_layer(config.dropout, 1, "dropout")[0] if config.hidden
                    else 0.5, "lr": config.lr, "epochs": config.epochs,
                    "batch_size": config.batch_size, "weight_decay": config.weight_decay,
                    "seed": config.seed}
        metadata = {"data": {"source": config.data, "kind": "text"},
                    **classifier_metadata(vectorizer, names, settings)}
        prepared = Prepared(config, (X_train, train[1]), dev_data,
                            (vectorizer.transform(test[0]), test[1]),
                            vectorizer.n_features_out, len(names), names, test[0], metadata, "")
        sizes = prepared.sizes
        prepared.summary = (f"{sizes['train']} train / {sizes['dev']} dev / {sizes['test']} "
                            f"test texts, {len(names)} classes; {config.options['model']} on "
                            f"{config.options['features']} TF-IDF")
        return prepared

    def describe_model(self, config: Any, prepared: Prepared) -> str:
        """'TF-IDF 5000 → 64 ReLU → dropout 0.5 → softmax 10'."""
        import mlplab.nn as nn

        parts = [f"TF-IDF {prepared.input_width}"]
        if config.hidden:
            activation = per_layer(config.activation, 1, "activation")[0]
            name = "Maxout" if activation == "maxout" else type(nn.get_activation(activation)
                                                                ).__name__
            parts.append(f"{config.hidden[0]} {name}")
            if config.norm != "none":
                parts.append(f"{config.norm} norm")
            if (p := per_layer(config.dropout, 1, "dropout")[0]):
                parts.append(f"dropout {p}")
        return " → ".join([*parts, f"softmax {prepared.output_width}"])

    def predict_file(self, trained: Any, input_path: Any, output: Any = None) -> Any:
        from mlplab.text.predict import predict_texts_file

        return predict_texts_file(trained, input_path, output)

    def evaluate_file(self, trained: Any, data: str, split: str) -> Any:
        from mlplab.text.predict import evaluate_texts_file

        return evaluate_texts_file(trained, data, split)


register_task(TextTask())
