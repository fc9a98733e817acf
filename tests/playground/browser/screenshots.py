"""Retake the screenshots of docs/playground.md: ``docs/img/playground-NAME.png``.

Run from the repository root (needs the playground extra, Playwright's Python package
and Debian's chromium, as the browser tests do):

    python -m tests.playground.browser.screenshots            # every shot below
    python -m tests.playground.browser.screenshots circle     # only some
    python -m tests.playground.browser.screenshots --out /tmp/shots

Each shot starts from a fresh run of one real server (seed 0, as the tests' ``server``
fixture), sets the config its caption describes, trains a fixed number of epochs with
the server's ``step`` command, and saves the 1280 × 800 viewport as a 256-colour PNG
(a third of the RGB file's size; the page's flat colours lose nothing visible). Look at
every image before committing it: the caption must match what it shows.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .conftest import FLAGS, Server
from .helpers import wait_synced

VIEWPORT = {"width": 1280, "height": 800}
DOCS_IMG = Path(__file__).resolve().parents[3] / "docs" / "img"
TRAINED_CIRCLE = {"optimizer": "adam", "learning_rate": 0.03}


@dataclass(frozen=True)
class Shot:
    """One screenshot: the config, how many epochs to train, and what to do after."""

    config: dict = field(default_factory=dict)
    epochs: int = 0
    then: Callable | None = None


def _diverge(page, server) -> None:
    page.get_by_test_id("play").click()
    page.get_by_test_id("message").filter(has_text="diverged").wait_for(timeout=20000)


def _inspect(page, server) -> None:
    page.get_by_test_id("node-L0N1").dispatch_event("click")
    page.evaluate("""() => {                       // the mouse over the point (1, 1)
        const c = document.querySelector('[data-testid=points]'), r = c.getBoundingClientRect();
        c.dispatchEvent(new MouseEvent('mousemove', {bubbles: true,
            clientX: r.left + (1 + 6) / 12 * r.width, clientY: r.top + (6 - 1) / 12 * r.height}));
    }""")
    page.wait_for_function("document.querySelector('[data-testid=inspector-body]')"
                           ".textContent.includes('tanh(z)')")
    page.get_by_test_id("rep-layer").select_option("1")  # the last hidden layer, 2 units
    page.get_by_test_id("rep-draw").click()
    page.wait_for_function("document.querySelector('[data-testid=rep-status]')"
                           ".textContent.includes('points')")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")


def _save_paletted(png: bytes, path: Path) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                   dither=Image.Dither.NONE).save(path, optimize=True)


SHOTS = {
    "default": Shot(),
    "circle": Shot({**TRAINED_CIRCLE, "show_test_data": True}, epochs=60),
    "discretized": Shot({**TRAINED_CIRCLE, "discretize": True}, epochs=60),
    "spiral3": Shot({"dataset": "spirals", "classes": 3, "network_shape": [8, 8],
                     "optimizer": "adam", "learning_rate": 0.03, "activation": "tanh",
                     "x_squared": True, "y_squared": True, "sin_x": True, "sin_y": True},
                    epochs=80),
    "diverged": Shot({"problem": "regression", "learning_rate": 10.0}, then=_diverge),
    "inspector": Shot(TRAINED_CIRCLE, epochs=60, then=_inspect),
}


def take(browser, server: Server, name: str, out: Path) -> Path:
    """Drive a fresh page into shot ``name``'s state and save it as playground-NAME.png."""
    shot = SHOTS[name]
    server.fresh(**shot.config)
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(server.url + "/")
        page.wait_for_function("window.__mlplab && window.__mlplab.frames > 0")
        if shot.epochs:
            server.cmd("step", epochs=shot.epochs)
            wait_synced(page, server, shot.epochs)
        if shot.then is not None:
            shot.then(page, server)
        page.wait_for_timeout(800)                      # let the last frame paint
        if errors:
            raise RuntimeError(f"{name}: JavaScript errors on the page: {errors}")
        path = out / f"playground-{name}.png"
        _save_paletted(page.screenshot(), path)
        return path
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"shots to take (default: all of {', '.join(SHOTS)})")
    parser.add_argument("--out", type=Path, default=DOCS_IMG, help="folder for the PNGs")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(SHOTS))
    if unknown:
        parser.error(f"unknown shot {', '.join(unknown)}; expected one of {', '.join(SHOTS)}")
    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium")
    if exe is None:
        print("screenshots: Debian's chromium is not installed (apt-get install chromium)",
              file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    server = Server()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, headless=True, args=FLAGS)
            for name in args.names or list(SHOTS):
                print(take(browser, server, name, args.out))
            browser.close()
    finally:
        server.running.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
