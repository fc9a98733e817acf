"""The ``regression`` task: predict a number from a CSV row.

The network ends in one linear unit, ŷ = W^[L] a^[L−1] + b^[L], with no activation.
Targets are standardized with the training split's mean μ_y and deviation σ_y,

    t = (y − μ_y) / σ_y     (what the network learns)     ŷ = μ_y + σ_y · output

so the loss and the learning rate do not depend on the target's units; μ_y and σ_y
are saved in the model file, and every prediction and metric is given back in the
original units. Losses (``loss``): ``mse`` (1/m) Σ (t − o)², ``mae`` (1/m) Σ |t − o|,
``huber`` — squared below δ = 1 standardized unit (one σ_y), linear beyond.

Reported per split: RMSE = √((1/m) Σ (y − ŷ)²) and MAE in the target's units, and
R² = 1 − Σ (y − ŷ)² / Σ (y − ȳ)² (1 is perfect, 0 is no better than predicting ȳ).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlplab.runs.dense import augmenter, load_dense, resolve_dense, summary
from mlplab.runs.tasks import Artifacts, Outputs, Prepared, Task, register_task

__all__ = ["RegressionTask", "TargetScale", "regression_metrics"]


@dataclass(frozen=True)
class TargetScale:
    """t = (y − mean) / std on the way in, y = mean + std · t on the way out."""

    mean: float
    std: float

    @classmethod
    def fit(cls, y: np.ndarray) -> TargetScale:
        std = float(np.std(y))
        return cls(float(np.mean(y)), std if std > 0 else 1.0)  # a constant target: no scaling

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> TargetScale:
        return cls(float(state["mean"]), float(state["std"]))

    def standardize(self, y: np.ndarray) -> np.ndarray:
        return (np.asarray(y, dtype=np.float64) - self.mean) / self.std

    def restore(self, t: np.ndarray) -> np.ndarray:
        return self.mean + self.std * np.asarray(t, dtype=np.float64)


def regression_metrics(trainer: Any, X: Any, y: np.ndarray, scale: TargetScale
                       ) -> dict[str, float]:
    """The training loss (on standardized targets), and RMSE, MAE and R² in the target's units."""
    from mlplab.train.metrics import mae, mse, r2

    loss = trainer.evaluate(X, scale.standardize(y))["loss"]
    predicted = scale.restore(trainer.predict(X))
    return {"loss": loss, "rmse": math.sqrt(mse(y, predicted)), "mae": mae(y, predicted),
            "r2": r2(y, predicted)}


class RegressionTask(Task):
    """One numeric target from a CSV table; a linear output unit and standardized targets."""

    name = "regression"
    data_kinds = ("csv",)
    losses = ("mse", "mae", "huber")
    metrics = ("r2",)

    def check(self, config: Any) -> None:
        super().check(config)
        if config.label_smoothing:
            raise ValueError("config: label_smoothing smooths class targets; regression has "
                             "none, remove it")
        if config.stream:
            raise ValueError("config: stream=true trains classifiers only (task classify); "
                             "for regression leave out --stream, the CSV file is then read "
                             "into memory")

    def resolve(self, config: Any) -> Any:
        return resolve_dense(config).model_copy(update={"loss": self.loss_name(config)})

    def prepare(self, config: Any) -> Prepared:
        data = load_dense(config, numeric=True)
        scale = TargetScale.fit(data.train[1])
        train, test = [(X, scale.standardize(y)) for X, y in (data.train, data.test)]
        dev = None if data.dev is None else (data.dev[0], scale.standardize(data.dev[1]))
        metadata = {**data.metadata(config),
                    "target": {"name": data.raw.target, "mean": scale.mean, "std": scale.std}}
        prepared = Prepared(config, train, dev, test, data.width, 1, [],
                            data.raw.test.features, metadata, "",
                            augmenter(config, data.raw.spec))
        prepared.summary = summary(prepared.sizes, data.width, f"target {data.raw.target!r} "
                                   f"(mean {scale.mean:.4g}, std {scale.std:.4g})")
        return prepared

    def describe_model(self, config: Any, prepared: Prepared) -> str:
        from mlplab.runs.models import describe_mlp

        return describe_mlp(config, prepared.input_width, 1, "linear regression")

    def loss(self, config: Any) -> Any:
        import mlplab.nn as nn

        return {"mse": nn.MSELoss, "mae": nn.L1Loss, "huber": nn.HuberLoss}[
            self.loss_name(config)]()

    def evaluate(self, trainer: Any, data: tuple[Any, Any], prepared: Prepared
                 ) -> dict[str, float]:
        scale = TargetScale.from_dict(prepared.metadata["target"])
        return regression_metrics(trainer, data[0], scale.restore(data[1]), scale)

    def test_outputs(self, trainer: Any, prepared: Prepared) -> Outputs:
        scale = TargetScale.from_dict(prepared.metadata["target"])
        return Outputs(scale.restore(trainer.predict(prepared.test[0])))

    def write_artifacts(self, run_dir: Any, model: Any, metadata: dict[str, Any],
                        prepared: Prepared, history: dict[str, list[float]],
                        metrics: dict[str, dict[str, float]], outputs: Outputs) -> Artifacts:
        from mlplab.runs.artifacts import final_reading, format_metrics, write_run_files, write_text

        config, target = prepared.config, metadata["target"]
        reading = final_reading(metrics, "r2")
        files = write_run_files(run_dir, model, metadata, config, history, reading,
                                ("loss", "r2"))
        lines = [f"mlplab run '{config.run_name}' on {config.data}", "",
                 f"target {target['name']!r}: training mean {target['mean']:.6g}, standard "
                 f"deviation {target['std']:.6g}; rmse and mae in its units", "",
                 format_metrics(metrics), "", f"bias/variance: {reading.text}"]
        files["report"] = write_text(run_dir / "report.txt", "\n".join(lines) + "\n")
        return Artifacts(files, reading)

    def predict_file(self, trained: Any, input_path: Any, output: Any = None) -> Any:
        from mlplab.runs.predict import read_inputs
        from mlplab.runs.predictions import ValuePredictions

        values = trained.predict(read_inputs(input_path, trained))
        return ValuePredictions.create(values, trained.metadata["target"]["name"], output)

    def evaluate_file(self, trained: Any, data: str, split: str) -> Any:
        from mlplab.runs.config import parse_data_spec
        from mlplab.runs.predict import dense_evaluation_data
        from mlplab.runs.predictions import Evaluation

        kind = parse_data_spec(data).kind
        if kind in ("npy", "parquet"):
            raise ValueError(f"data: a regression model is evaluated on csv:PATH data; "
                             f"{kind}: files are read chunk by chunk for classifiers only "
                             "(write the rows as CSV with the target column)")
        X, y, split = dense_evaluation_data(trained, data, split, numeric=True)
        scale = TargetScale.from_dict(trained.metadata["target"])
        metrics = regression_metrics(trained.trainer(), X, y, scale)
        return Evaluation(metrics, len(y), split, data, [], {}, "", None)


register_task(RegressionTask())
