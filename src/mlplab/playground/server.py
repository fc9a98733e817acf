"""The playground's HTTP server: FastAPI on uvicorn (the ``mlplab[playground]`` extra).

State goes to the page as Server-Sent Events (one stream per page, at most 30 events a
second, the latest snapshot wins, every epoch's scalars kept); commands come back as
JSON ``POST``s. SSE rather than a WebSocket: it is one-way, which is all the page
needs, the browser reconnects by itself, and uvicorn serves it without the extra
``websockets`` package. The endpoints are listed in ``PROTOCOL.md`` next to this file.

Safety: request bodies are bounded before they are read in full (commands 64 kB, CSV
5 MB, model files 2 MB); nothing from the page is evaluated; the server binds 127.0.0.1
unless another host is given explicitly, and then it says so.
"""

from __future__ import annotations

import socket
import sys
import threading
from pathlib import Path
from typing import Any

from mlplab.playground.config import PlaygroundConfig
from mlplab.playground.routes import add_routes
from mlplab.playground.session import Session

STATIC = Path(__file__).parent / "static"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def create_app(config: PlaygroundConfig | None = None, *, seed: int = 0,
               csv: bytes | None = None) -> Any:
    """The FastAPI app with a fresh :class:`Session` (worker started with the app);
    ``csv``: the text of a CSV upload to start from instead of generated data."""
    from contextlib import asynccontextmanager

    from fastapi import FastAPI

    session = Session(config or PlaygroundConfig(), seed=seed)
    if csv is not None:
        from mlplab.playground.csv_upload import parse_csv
        from mlplab.playground.edits import Upload

        session.submit(Upload(*parse_csv(csv, session.run.config)))

    @asynccontextmanager
    async def lifespan(app: Any) -> Any:
        session.start()
        yield
        session.close()

    app = FastAPI(title="mlplab playground", lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url=None)
    app.state.session = session
    add_routes(app, session, STATIC)
    return app


def bind_socket(host: str, port: int) -> tuple[socket.socket, str | None]:
    """A listening socket on (host, port); port 0 or a busy port → a free one, with a
    note saying so."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    note = None
    try:
        sock.bind((host, port))
    except OSError:
        if port == 0:
            raise
        sock.bind((host, 0))
        note = f"port {port} is busy; using {sock.getsockname()[1]} instead"
    sock.listen(128)
    return sock, note


def url_of(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class RunningServer:
    """A uvicorn server in a background thread (tests, benchmarks, notebooks).

    >>> server = RunningServer(PlaygroundConfig())   # doctest: +SKIP
    >>> server.url                                   # doctest: +SKIP
    'http://127.0.0.1:41234/'
    >>> server.stop()                                # doctest: +SKIP
    """

    def __init__(self, config: PlaygroundConfig | None = None, *, seed: int = 0,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        import uvicorn

        self.app = create_app(config, seed=seed)
        self.session: Session = self.app.state.session
        self.socket, self.note = bind_socket(host, port)
        self.url = url_of(self.socket, host)
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning",
                                                    lifespan="on"))
        self.thread = threading.Thread(target=self.server.run,
                                       kwargs={"sockets": [self.socket]}, daemon=True)
        self.thread.start()
        self._wait_started()

    def _wait_started(self, timeout: float = 20.0) -> None:
        import time

        end = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > end:
                raise RuntimeError("the playground server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.session.close()
        self.socket.close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def serve(host: str = "127.0.0.1", port: int = 0, open_browser: bool = True,
          config: PlaygroundConfig | None = None, *, seed: int = 0,
          csv: bytes | None = None, echo: Any = print) -> None:
    """Run the playground until Ctrl-C; print its URL (and open it in a browser)."""
    import uvicorn

    if host not in LOOPBACK:
        echo(f"warning: binding {host}: anyone who can reach this machine can use the "
             "playground (it has no login)", file=sys.stderr)
    app = create_app(config, seed=seed, csv=csv)
    sock, note = bind_socket(host, port)
    if note:
        echo(f"note: {note}", file=sys.stderr)
    url = url_of(sock, host)
    echo(f"mlplab playground: {url}  (Ctrl-C stops it)")
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
