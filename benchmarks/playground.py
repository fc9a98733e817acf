"""How fast the playground runs: epoch time, snapshot time, and frames seen by a browser.

1. One epoch of a playground-size run: 500 circle points (250 for training, batch 10),
   a 6 × 8 tanh network (``network_shape=8,8,8,8,8,8``), SGD; the median of repeated
   timings.
2. The grid: the 100 × 100 points through the network in one batched forward pass
   (eval mode, every hidden layer's output kept); and the whole snapshot: the grid plus
   every neuron's 10 × 10 thumbnail, the per-layer histograms and the confusion matrix.
3. End to end: ``mlplab playground`` in a subprocess, headless chromium (Debian's
   package) playing the same run for ``--seconds``: the snapshots the server published
   per second (its ``state_version``), the page's own frame counter
   (``window.__mlplab.frames``, one per drawn snapshot) and the epochs the server ran.
   The target is at least 30 updates per second on two cores.

Steps 1–2 run with one BLAS thread, as the server's worker does
(``limit_blas_threads``): on a busy 2-core machine OpenBLAS's threads make the grid
product several times slower.

Run:  python benchmarks/playground.py [--repeats 30] [--seconds 5]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request

from mlplab.playground import model_builder as mb
from mlplab.playground.config import make_config
from mlplab.playground.run_state import PlaygroundRun
from mlplab.playground.session import limit_blas_threads
from mlplab.playground.snapshot import build_snapshot, forward_layers, grid_points

SHAPE = [8] * 6
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def compute_times(repeats: int) -> tuple[float, float, float]:
    """Median ms of (one epoch, the grid's forward pass, one whole snapshot)."""
    limit_blas_threads()
    run = PlaygroundRun(make_config({"network_shape": SHAPE, "activation": "tanh"}))
    run.train_epoch()                                  # warm up caches and allocations
    build_snapshot(run)
    grid_x = mb.feature_matrix(grid_points(), run.config.features(), run.scaling)
    return (median_ms(run.train_epoch, repeats), median_ms(lambda: forward_layers(run, grid_x),
                                                           repeats),
            median_ms(lambda: build_snapshot(run), repeats))


def post(url: str, body: dict) -> None:
    req = urllib.request.Request(url + "/api/cmd", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


def state_version(url: str) -> int:
    with urllib.request.urlopen(url + "/api/state", timeout=10) as reply:
        return json.loads(reply.read())["state_version"]


def browser_fps(seconds: float) -> tuple[float, float, float, float]:
    """(snapshots published per second, frames drawn per second, epochs per second, ms
    per drawn frame) with chromium showing the page."""
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen([sys.executable, "-m", "mlplab", "playground", "--no-browser",
                               "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        url = next(m.group(0) for line in server.stdout
                   if (m := re.search(r"http://127\.0\.0\.1:\d+", line)))
        post(url, {"op": "set", "config": {"network_shape": SHAPE, "activation": "tanh"}})
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                        headless=True, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(url)
            page.wait_for_function("window.__mlplab && window.__mlplab.frames > 0")
            post(url, {"op": "play"})
            page.wait_for_function("window.__mlplab.lastState.running")
            probe = ("[window.__mlplab.frames, window.__mlplab.lastEpoch, "
                     "window.__mlplab.drawMsTotal]")
            v0, (f0, e0, d0) = state_version(url), page.evaluate(probe)
            t0 = time.perf_counter()
            time.sleep(seconds)
            v1, (f1, e1, d1) = state_version(url), page.evaluate(probe)
            elapsed = time.perf_counter() - t0
            browser.close()
        return ((v1 - v0) / elapsed, (f1 - f0) / elapsed, (e1 - e0) / elapsed,
                (d1 - d0) / max(1, f1 - f0))
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    epoch_ms, grid_ms, snapshot_ms = compute_times(args.repeats)
    print(f"epoch (500 points, 6x8 tanh, batch 10): {epoch_ms:7.2f} ms (median of "
          f"{args.repeats})")
    print(f"grid (100x100 forward pass, every layer kept): {grid_ms:7.2f} ms")
    print(f"snapshot (grid + thumbnails + histograms + confusion): {snapshot_ms:7.2f} ms")
    print(f"epoch + snapshot: {epoch_ms + snapshot_ms:7.2f} ms -> at most "
          f"{1e3 / (epoch_ms + snapshot_ms):5.1f} updates/s from compute alone")
    if shutil.which("chromium") is None:
        print("browser frames/s: skipped (Debian's chromium is not installed)")
        return
    ups, fps, eps, draw_ms = browser_fps(args.seconds)
    print(f"server, playing at 1 epoch/frame for {args.seconds:g} s with chromium showing "
          f"the page: {ups:5.1f} updates/s published, {eps:6.1f} epochs/s trained "
          "(target >= 30 updates/s)")
    print(f"headless chromium: {fps:5.1f} frames/s drawn; the page spends {draw_ms:5.1f} ms "
          "drawing a frame")

if __name__ == "__main__":
    main()
