"""The ``classify`` task: K classes, softmax cross-entropy, accuracy and a per-class report.

For one example the network's last layer gives logits z ∈ R^K; the loss is

    a = softmax(z),  a_k = e^{z_k} / Σ_j e^{z_j},    L = −Σ_k y_k log a_k

(``CrossEntropyLoss``, with smoothed targets (1 − ε)·y + ε/K when ``label_smoothing``
is ε), and the prediction is argmax_k a_k. :class:`ClassificationTask` holds what
every classifier shares (the text task builds on it); :class:`ClassifyTask` reads
dense data: images, tables and synthetic sets.
"""

from __future__ import annotations

from typing import Any

from mlplab.runs.dense import DENSE_KINDS, augmenter, load_dense, resolve_dense, summary
from mlplab.runs.tasks import Artifacts, Outputs, Prepared, Task, register_task

__all__ = ["ClassificationTask", "ClassifyTask", "classification_evaluation"]


def classification_evaluation(trainer: Any, X: Any, y: Any, split: str, data: str,
                              names: list[str]) -> Any:
    """Loss, accuracy, per-class report and confusion matrix of ``trainer``'s model on (X, y)."""
    from mlplab.runs.predictions import Evaluation
    from mlplab.train.metrics import confusion_matrix, format_report, precision_recall_f1_report

    metrics = trainer.evaluate(X, y)
    proba = trainer.predict_proba(X)
    report = precision_recall_f1_report(y, proba, names)
    cm = confusion_matrix(y, proba.argmax(axis=1), num_classes=len(names))
    return Evaluation(metrics, len(y), split, data, names, report, format_report(report), cm)


class ClassificationTask(Task):
    """What every K-class classifier shares: the loss, the outputs and the report."""

    losses = ("cross_entropy",)
    metrics = ("accuracy",)

    def loss(self, config: Any) -> Any:
        import mlplab.nn as nn

        return nn.CrossEntropyLoss(label_smoothing=config.label_smoothing)

    def test_outputs(self, trainer: Any, prepared: Prepared) -> Outputs:
        proba = trainer.predict_proba(prepared.test[0])
        return Outputs(proba.argmax(axis=1), proba)

    def write_artifacts(self, run_dir: Any, model: Any, metadata: dict[str, Any],
                        prepared: Prepared, history: dict[str, list[float]],
                        metrics: dict[str, dict[str, float]], outputs: Outputs) -> Artifacts:
        from mlplab.runs.artifacts import write_classification

        return write_classification(run_dir, model, metadata, prepared, history, metrics,
                                    outputs)


class ClassifyTask(ClassificationTask):
    """Classification of images (digits, MNIST, Fashion-MNIST), CSV tables and synthetic sets;
    ``.npy``, Parquet and CSV files streamed from disk (:mod:`mlplab.runs.streamed`)."""

    name = "classify"
    data_kinds = (*DENSE_KINDS, "npy", "parquet")

    def resolve(self, config: Any) -> Any:
        return resolve_dense(config)

    def prepare(self, config: Any) -> Prepared:
        if config.stream:
            return self._prepare_streamed(config)
        data = load_dense(config)
        names = data.raw.class_names or data.pre.class_names
        prepared = Prepared(config, data.train, data.dev, data.test, data.width, len(names),
                            names, data.raw.test.features, data.metadata(config), "",
                            augmenter(config, data.raw.spec))
        prepared.summary = summary(prepared.sizes, data.width, f"{len(names)} classes")
        return prepared

    def _prepare_streamed(self, config: Any) -> Prepared:
        from mlplab.runs.streamed import load_streamed

        data = load_streamed(config)
        names = data.class_names
        prepared = Prepared(config, (data.train, None), data.dev, data.test, data.width,
                            len(names), names, data.raw_test_inputs(config),
                            data.metadata(config), "")
        prepared.summary = summary(prepared.sizes, data.width, f"{len(names)} classes, "
                                   "training rows streamed from disk")
        return prepared

    def evaluate(self, trainer: Any, data: tuple[Any, Any], prepared: Prepared
                 ) -> dict[str, float]:
        from mlplab.data.streaming import Stream

        if isinstance(data[0], Stream):  # the training split of a streamed run
            from mlplab.runs.streamed import evaluate_stream

            return evaluate_stream(trainer, data[0])
        return super().evaluate(trainer, data, prepared)

    def predict_file(self, trained: Any, input_path: Any, output: Any = None) -> Any:
        from mlplab.runs.predict import read_inputs
        from mlplab.runs.predictions import Predictions

        proba = trained.predict_proba(read_inputs(input_path, trained))
        return Predictions.from_proba(proba, trained.class_names, output)

    def evaluate_file(self, trained: Any, data: str, split: str) -> Any:
        from mlplab.runs.config import parse_data_spec
        from mlplab.runs.predict import dense_evaluation_data, evaluation_config
        from mlplab.runs.streamed_eval import evaluate_chunked, reads_in_chunks

        if reads_in_chunks(trained, parse_data_spec(data).kind):
            return evaluate_chunked(trained, evaluation_config(trained, data), data, split)
        X, y, split = dense_evaluation_data(trained, data, split)
        return classification_evaluation(trained.trainer(), X, y, split, data,
                                         trained.class_names)


register_task(ClassifyTask())
