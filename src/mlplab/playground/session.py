"""``Session``: the worker thread that owns one playground run and applies commands.

Commands from the page go into a queue; the worker reads it between training steps, so
an edit never races a backward pass. While running it does ``epochs_per_frame`` epochs
per frame (1/30 s), or as many as fit in a frame at speed ``max``. A snapshot is built
at most 30 times a second, only when something changed ("latest wins"); every epoch's
scalars are kept, so the loss curve never misses one. A lock guards the model for the
HTTP threads that read it (inspect, representation, Copy as Python).

Stop conditions: ``max_epochs``, ``target_loss`` (test loss at or below it) and early
stopping (``patience`` epochs without a better test loss, then the best weights come
back), decided by the library's ``ml.train.callbacks.EarlyStopping``. A NaN or infinite
loss pauses the run with a message saying what to try, and the snapshot's ``diverged``
names the neurons and links that blew up.
"""

from __future__ import annotations

import queue
import threading
import time
from concurrent.futures import Future
from types import SimpleNamespace
from typing import Any

import numpy as np

from mlplab.checks import ParameterError
from mlplab.playground import commands as C
from mlplab.playground.config import PlaygroundConfig
from mlplab.playground.datasets import PlaygroundData
from mlplab.playground.edits import apply_edit
from mlplab.playground.run_state import PlaygroundRun
from mlplab.playground.snapshot import build_snapshot
from mlplab.train.callbacks.early_stopping import EarlyStopping

FRAME_S = 1 / 30
"""Seconds per frame: at most 30 snapshots a second."""


def limit_blas_threads() -> None:
    """One BLAS thread: the playground's matrices are small, and on a busy 2-core machine
    OpenBLAS's spinning threads make a 10,000 × 8 product ten times slower."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is in mlplab[playground]
        return
    threadpool_limits(1, user_api="blas")


class Session:
    """One run, its worker thread, its command queue and its latest snapshot."""

    def __init__(self, config: PlaygroundConfig, *, seed: int = 0,
                 data: PlaygroundData | None = None) -> None:
        self.run = PlaygroundRun(config, data)
        self.lock = threading.RLock()
        self.changed = threading.Condition()
        self.commands: queue.Queue = queue.Queue()
        self.seeds = np.random.default_rng(seed)  # draws new init and data seeds
        self.running = False
        self.speed: int | str = 1
        self.state_version = 0
        self.latest: dict[str, Any] = {}
        self._dirty = True
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.publish()

    # ----- thread
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="mlplab-playground",
                                            daemon=True)
            self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def submit(self, command: Any, timeout: float = 30.0) -> dict[str, Any]:
        """Queue a parsed command and wait for the worker's reply (or apply it now when no
        worker runs). Raises ParameterError for a command that cannot apply."""
        if self._thread is None:
            return self._apply_and_publish(command)
        future: Future = Future()
        self.commands.put((command, future))
        return future.result(timeout=timeout)

    def _loop(self) -> None:
        limit_blas_threads()
        next_publish = 0.0
        frame_end = time.perf_counter() + FRAME_S
        while not self._stop.is_set():
            if self.running:
                with self.lock, np.errstate(all="ignore"):
                    self._train_frame(frame_end)
            self._drain(frame_end if not self.running or self.speed != "max" else 0.0)
            if self._dirty and time.perf_counter() >= next_publish:
                self.publish()
                next_publish = frame_end + FRAME_S  # the next beat: at most 30 a second
            # Frames on a fixed 1/30 s beat, so the snapshot's time counts inside the frame
            # (waiting a full frame after it made an epoch + snapshot frame ~45% longer);
            # "max" trains a whole frame between snapshots.
            now = time.perf_counter()
            frame_end = now + FRAME_S if self.running and self.speed == "max" else \
                max(frame_end + FRAME_S, now)

    def _drain(self, until: float) -> None:
        """Apply queued commands; wait for more until ``until`` (perf_counter time)."""
        while True:
            wait = until - time.perf_counter()
            try:
                command, future = self.commands.get(timeout=wait) if wait > 0 else \
                    self.commands.get_nowait()
            except queue.Empty:
                return
            try:  # publish first: the reply's state_version shows the command's effect
                future.set_result(self._apply_and_publish(command))
            except Exception as err:  # the HTTP thread reports it
                future.set_exception(err)

    def _apply_and_publish(self, command: Any) -> dict[str, Any]:
        reply = self._apply(command)
        self.publish()
        return reply

    # ----- training
    def _train_frame(self, frame_end: float) -> None:
        epochs = 0
        while self.running:
            self._one_epoch()
            epochs += 1
            if self.speed == "max":
                if time.perf_counter() >= frame_end:
                    break
            elif epochs >= self.speed:
                break
        self._dirty = True

    def _one_epoch(self) -> None:
        run = self.run
        value = run.train_epoch()
        if not np.isfinite(value) or (run.scalars and not np.isfinite(run.scalars[-1]["loss"])):
            self.diverged(value)
            return
        self.check_stop()

    def diverged(self, value: float) -> None:
        run = self.run
        self.running = False
        what = "NaN" if np.isnan(value) else "infinite"
        lr = run.config.learning_rate
        run.message = {"level": "error", "text": (
            f"Training diverged (loss is {what}) at epoch {run.epoch + 1}: lower the "
            f"learning rate (try {lr / 10:g}) or turn on gradient clipping")}

    def check_stop(self) -> None:
        """Pause (with an info message) when a stop condition is met."""
        run, config = self.run, self.run.config
        row = run.scalars[-1]
        watched = row["test_loss"] if np.isfinite(row["test_loss"]) else row["loss"]
        text = None
        if config.max_epochs and run.epoch >= config.max_epochs:
            text = f"Stopped at epoch {run.epoch}: maxEpochs is {config.max_epochs}"
        elif config.target_loss and watched <= config.target_loss:
            text = (f"Stopped at epoch {run.epoch}: the test loss {watched:.4f} reached "
                    f"the target {config.target_loss:g}")
        elif config.patience and self.early_stop(watched):
            best = run.early_stopping
            text = (f"Early stopping at epoch {run.epoch}: no better test loss for "
                    f"{config.patience} epochs; restored the weights of epoch "
                    f"{best.best_epoch} (test loss {best.best:.4f})")
        if text is not None:
            self.running = False
            run.message = {"level": "info", "text": text}

    def early_stop(self, watched: float) -> bool:
        """The library's ``EarlyStopping`` fed one epoch; True (best weights restored)
        when it asks to stop. The session's epoch loop stands in for its Trainer."""
        run = self.run
        stopper = run.early_stopping
        if stopper is None:
            stopper = run.early_stopping = EarlyStopping(
                "test_loss", patience=run.config.patience, restore_best_weights=True)
            stopper.set_trainer(SimpleNamespace(
                model=run.model, stop_training=False, resumed=False,
                history=SimpleNamespace(stopped_reason=None)))
            stopper.on_train_begin()
        stopper.patience = run.config.patience  # a live edit of patience applies now
        stopper.trainer.stop_training = False
        stopper.on_epoch_end(run.epoch, {"test_loss": watched})
        if stopper.trainer.stop_training:
            stopper.on_train_end()
        return stopper.trainer.stop_training

    # ----- commands
    def _apply(self, command: Any) -> dict[str, Any]:
        with self.lock, np.errstate(all="ignore"):
            reply = self._dispatch(command)
        self._dirty = True
        return {"ok": True, **reply}

    def _dispatch(self, command: Any) -> dict[str, Any]:
        op, run = command.op, self.run
        if op == "play":
            run.message = None if run.message and run.message["level"] != "error" \
                else run.message
            self.running = True
        elif op == "pause":
            self.running = False
        elif op == "step":
            self.running = False
            for _ in range(command.epochs):
                self._one_epoch()
                if run.message and run.message["level"] == "error":
                    break
        elif op == "step_batch":
            self.running = False
            self._step_batch()
        elif op == "speed":
            self.speed = command.epochs_per_frame
        else:
            return apply_edit(self, command)
        return {}

    def _step_batch(self) -> None:
        run = self.run
        first = run.epoch
        value = run.train_batch()
        if not np.isfinite(value):
            self.diverged(value)
        elif run.epoch != first:
            run.record_epoch()

    def new_seed(self) -> int:
        return int(self.seeds.integers(0, 2**31 - 1))

    # ----- state
    def publish(self) -> None:
        """Build the latest snapshot and wake the streams."""
        with self.lock, np.errstate(all="ignore"):  # a diverged net's grid overflows
            body = build_snapshot(self.run)
            run = self.run
            body.update({"running": self.running, "epoch": run.epoch,
                         "iteration": run.iteration, "epoch_ms": run.epoch_ms,
                         "config": run.config.model_dump(), "message": run.message,
                         "data_version": run.data_version, "speed": self.speed,
                         "n_scalars": len(run.scalars), "generation": run.generation,
                         "lr_plan": run.lr_plan()})
        with self.changed:
            self.state_version += 1
            body.update({"v": 1, "type": "state", "state_version": self.state_version})
            self.latest = body
            self._dirty = False
            self.changed.notify_all()

    def state(self, scalars_from: int = 0, with_data: bool = True) -> dict[str, Any]:
        """The latest snapshot with the scalars from index ``scalars_from`` on."""
        with self.changed:
            body = dict(self.latest)
        # no lock: the worker only appends to scalars and swaps data for a new object,
        # so a stream never waits for a training frame
        body["scalars"] = finite_rows(self.run.scalars[scalars_from:body["n_scalars"]])
        if with_data:
            body["data"] = self.run.data.as_lists()
        return body

    def wait_for_change(self, version: int, timeout: float) -> int:
        """Block until ``state_version`` passes ``version`` (or the timeout); return it."""
        with self.changed:
            self.changed.wait_for(lambda: self.state_version > version or
                                  self._stop.is_set(), timeout=timeout)
            return self.state_version


def finite_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Scalar rows with NaN/inf as None (JSON has no NaN)."""
    return [{k: (None if isinstance(v, float) and not np.isfinite(v) else v)
             for k, v in row.items()} for row in rows]


def parse_and_submit(session: Session, body: Any) -> dict[str, Any]:
    """Validate a JSON command, run it, and add the state version to the reply."""
    reply = session.submit(C.parse_command(body))
    if not reply.get("ok"):
        raise ParameterError(reply.get("error", "command failed"))
    return {**reply, "state_version": session.state_version}
