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

__all__ = ["RegressionTask", "RegressionTotals", "TargetScale", "regression_metrics"]


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


class RegressionTotals:
    """The sums behind ``regression_metrics``, added up chunk by chunk (for data read from
    disk): rows n, the loss sum, Σ (y − ŷ)², Σ |y − ŷ|, and y's mean and M₂ = Σ (y − ȳ)²
    merged with Chan's update (no cancellation in Σy² − nȳ²). Then RMSE = √(SSE/n),
    MAE = SAE/n and R² = 1 − SSE/M₂, the values over all the rows."""

    def __init__(self, scale: TargetScale) -> None:
        self.scale = scale
        self.n = 0
        self.loss = self.sse = self.sae = self.mean = self.m2 = 0.0

    def add(self, trainer: Any, X: Any, t: np.ndarray) -> None:
        """One chunk: inputs X and standardized targets t."""
        if not len(t):
            return
        y = self.scale.restore(t)
        error = y - self.scale.restore(trainer.predict(X))
        n_b, mean_b = len(y), float(y.mean())
        m2_b = float(np.square(y - mean_b).sum())
        n = self.n + n_b
        delta = mean_b - self.mean
        self.m2 += m2_b + delta**2 * self.n * n_b / n
        self.mean += delta * n_b / n
        self.loss += trainer.evaluate(X, t)["loss"] * n_b
        self.sse += float(np.square(error).sum())
        self.sae += float(np.abs(error).sum())
        self.n = n

    def metrics(self) -> dict[str, float]:
        r2 = 1.0 - self.sse / self.m2 if self.m2 > 0 else float("nan")
        return {"loss": self.loss / self.n, "rmse": math.sqrt(self.sse / self.n),
                "mae": self.sae / self.n, "r2": r2}


class RegressionTask(Task):
    """One numeric target from a CSV table, or from a ``.npy``, Parquet or CSV file read
    chunk by chunk (``stream``); a linear output unit and standardized targets."""

    name = "regression"
    data_kinds = ("csv", "npy", "parquet")
    losses = ("mse", "mae", "huber")
    metrics = ("r2",)

    def check(self, config: Any) -> None:
        super().check(config)
        if config.label_smoothing:
            raise ValueError("config: label_smoothing smooths class targets; regression has "
                             "none, remove it")

    def resolve(self, config: Any) -> Any:
        return resolve_dense(config).model_copy(update={"loss": self.loss_name(config)})

    def prepare(self, config: Any) -> Prepared:
        if config.stream:
            return self._prepare_streamed(config)
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

    def _prepare_streamed(self, config: Any) -> Prepared:
        """The training rows stay on disk; μ_y and σ_y come from the encoder's one pass."""
        from mlplab.runs.streamed import ScaledTargets, load_streamed

        data = load_streamed(config)
        encoder = data.train.encoder
        scale = TargetScale(encoder.target_mean, encoder.target_std or 1.0)
        train = ScaledTargets(data.train, scale)
        test = (data.test[0], scale.standardize(data.test[1]))
        dev = None if data.dev is None else (data.dev[0], scale.standardize(data.dev[1]))
        metadata = {**data.metadata(config),
                    "target": {"name": data.target_name, "mean": scale.mean, "std": scale.std}}
        prepared = Prepared(config, (train, None), dev, test, data.width, 1, [],
                            data.raw_test_inputs(config), metadata, "")
        prepared.summary = summary(prepared.sizes, data.width, f"target {data.target_name!r} "
                                   f"(mean {scale.mean:.4g}, std {scale.std:.4g}), training "
                                   "rows streamed from disk")
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
        from mlplab.data.streaming import Stream

        scale = TargetScale.from_dict(prepared.metadata["target"])
        if isinstance(data[0], Stream):  # the training split of a streamed run
            totals = RegressionTotals(scale)
            for index in data[0].chunks:
                totals.add(trainer, *data[0].read(int(index)))
            return totals.metrics()
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
        from mlplab.runs.predict import dense_evaluation_data, evaluation_config
        from mlplab.runs.predictions import Evaluation
        from mlplab.runs.streamed_eval import evaluate_chunked, reads_in_chunks

        if reads_in_chunks(trained, parse_data_spec(data).kind):
            return evaluate_chunked(trained, evaluation_config(trained, data), data, split)
        X, y, split = dense_evaluation_data(trained, data, split, numeric=True)
        scale = TargetScale.from_dict(trained.metadata["target"])
        metrics = regression_metrics(trained.trainer(), X, y, scale)
        return Evaluation(metrics, len(y), split, data, [], {}, "", None)


register_task(RegressionTask())
