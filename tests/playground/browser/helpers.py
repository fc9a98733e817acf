"""Small helpers the browser tests share: reading the page's numbers, waiting on them."""

from __future__ import annotations

import time


def epoch(page) -> int:
    """The epoch counter as a number ("000,123" → 123)."""
    return int(page.get_by_test_id("epoch").text_content().replace(",", ""))


def wait_epoch(page, condition: str, timeout: float = 15000) -> None:
    """Wait until ``condition`` holds for ``e``, the displayed epoch (a JS expression)."""
    page.wait_for_function(
        "() => { const e = Number(document.querySelector('[data-testid=epoch]')"
        f".textContent.replace(/,/g, '')); return {condition}; }}", timeout=timeout)


def wait_paused(server, epoch: int | None = None, timeout: float = 30.0) -> int:
    """Wait until the worker is paused (at ``epoch`` if given): commands are queued and
    applied between steps, so a reply comes before its effect."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        state = server.state()
        if not state["running"] and epoch in (None, state["epoch"]):
            return state["epoch"]
        time.sleep(0.05)
    raise AssertionError(f"the server did not pause (at epoch {epoch})")


def wait_synced(page, server, epoch: int | None = None) -> int:
    """Wait until the page shows the server's paused epoch; returns it."""
    target = wait_paused(server, epoch)
    wait_epoch(page, f"e === {target}")
    page.wait_for_function("(e) => window.__mlplab.lastState.epoch === e", arg=target)
    return target


def heat_pixels(page) -> list[list[int]]:
    """Every RGBA pixel of the 100 × 100 heatmap canvas."""
    return page.evaluate("""() => {
        const c = document.querySelector('[data-testid=heatmap]');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const out = [];
        for (let i = 0; i < d.length; i += 4) out.push([d[i], d[i + 1], d[i + 2], d[i + 3]]);
        return out;
    }""")


def set_config(page, **config) -> None:
    """Change settings through the page's own command path (as a control does)."""
    page.evaluate("(c) => fetch('/api/cmd', {method: 'POST', headers: {'Content-Type': "
                  "'application/json'}, body: JSON.stringify({op: 'set', config: c})})", config)
