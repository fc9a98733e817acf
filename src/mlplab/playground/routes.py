"""The endpoints of the playground's FastAPI app (documented in ``PROTOCOL.md``).

Imported only by :mod:`.server`, itself imported only when a server is made, so
``import mlplab`` never needs FastAPI.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles

from mlplab.checks import ParameterError
from mlplab.playground.session import FRAME_S, Session, parse_and_submit
from mlplab.playground.snapshot import finite

MAX_COMMAND_BYTES = 64 * 1024
PING_S = 15.0
_PLACEHOLDER = ("<!doctype html><title>mlplab playground</title><p>The page is not "
                "installed; the API is at <a href='/api/state'>/api/state</a>.")


class TooLarge(Exception):
    """A request body over its limit."""


def dumps(body: Any) -> str:
    try:
        return json.dumps(body, separators=(",", ":"), allow_nan=False)
    except ValueError:  # a NaN somewhere: JSON has none
        return json.dumps(_clean(body), separators=(",", ":"), allow_nan=False)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return finite(value) if isinstance(value, (list, float)) else value


async def read_limited(request: Any, limit: int) -> bytes:
    """The body, refused (TooLarge) as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the request body is {int(declared):,} bytes; the limit is "
                       f"{limit:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the request body passed the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def add_routes(app: Any, session: Session, static: Path) -> None:
    def json_response(body: Any, status: int = 200) -> Response:
        return Response(dumps(body), status_code=status, media_type="application/json")

    add_error_handlers(app)
    if static.is_dir():
        app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", response_class=HTMLResponse)
    def index() -> Any:
        page = static / "index.html"
        return HTMLResponse(page.read_text(encoding="utf-8") if page.exists()
                            else _PLACEHOLDER)

    @app.get("/api/schema")
    def get_schema() -> Response:
        from mlplab.playground.schema import schema

        return json_response(schema())

    @app.get("/api/state")
    def get_state() -> Response:
        return json_response(session.state(0, with_data=True))

    @app.get("/api/history")
    def get_history() -> Response:
        return json_response({"scalars": session.state(0, with_data=False)["scalars"]})

    @app.post("/api/cmd")
    async def post_cmd(request: Request) -> Response:
        raw = await read_limited(request, MAX_COMMAND_BYTES)
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            raise ParameterError('command: the body is not JSON; e.g. {"op": "play"}'
                                 ) from None
        reply = await asyncio.to_thread(parse_and_submit, session, body)
        return json_response(reply)

    @app.post("/api/upload")
    async def post_upload(request: Request) -> Response:
        from mlplab.playground.csv_upload import MAX_BYTES, parse_csv
        from mlplab.playground.edits import Upload

        raw = await read_limited(request, MAX_BYTES)
        data, classes = parse_csv(raw, session.run.config)
        await asyncio.to_thread(session.submit, Upload(data, classes))
        n = len(data.train_x) + len(data.test_x)
        return json_response({"ok": True, "n": n, "state_version": session.state_version})

    add_read_routes(app, session, json_response, PlainTextResponse)
    add_model_routes(app, session, json_response)
    add_stream(app, session)


def add_error_handlers(app: Any) -> None:
    """Bad input → 422 and a body over its limit → 413, both ``{"ok": false, "error"}``."""

    @app.exception_handler(ParameterError)
    @app.exception_handler(ValueError)
    async def bad_input(request: Request, err: Exception) -> JSONResponse:
        return JSONResponse({"ok": False, "error": " ".join(str(err).split())},
                            status_code=422)

    @app.exception_handler(TooLarge)
    async def too_large(request: Request, err: Exception) -> JSONResponse:
        return JSONResponse({"ok": False, "error": str(err)}, status_code=413)


def add_read_routes(app: Any, session: Session, json_response: Any, text: Any) -> None:
    from mlplab.playground.python_snippet import python_snippet
    from mlplab.playground.url_state import to_flags, to_url_hash
    from mlplab.playground.views import inspect_point, representation

    @app.get("/api/python")
    def get_python() -> Any:
        with session.lock:
            return text(python_snippet(session.run.config, session.run.epoch))

    @app.get("/api/flags")
    def get_flags() -> Any:
        config = session.run.config
        return json_response({"flags": to_flags(config), "hash": to_url_hash(config)})

    @app.get("/api/inspect")
    def get_inspect(x: float, y: float) -> Any:
        with session.lock:
            return json_response(inspect_point(session.run, x, y))

    @app.get("/api/representation")
    def get_representation(layer: int = 0, i: int = 0, j: int = 1) -> Any:
        with session.lock:
            return json_response(representation(session.run, layer, i, j))


def add_model_routes(app: Any, session: Session, json_response: Any) -> None:
    """Save & load: the model file (``ml.save``), the weights as JSON, a model upload."""
    from mlplab.playground import model_io

    def attachment(name: str) -> dict[str, str]:
        return {"Content-Disposition": f'attachment; filename="{name}"'}

    @app.get("/api/model")
    def get_model() -> Response:
        with session.lock:
            body, epoch = model_io.model_file_bytes(session.run), session.run.epoch
        return Response(body, media_type="application/octet-stream",
                        headers=attachment(f"mlplab-playground-epoch{epoch}.safetensors"))

    @app.get("/api/weights")
    def get_weights() -> Response:
        with session.lock:
            body = model_io.weights_json(session.run)
        return Response(dumps(body), media_type="application/json",
                        headers=attachment(f"mlplab-playground-weights-epoch{body['epoch']}"
                                           ".json"))

    @app.post("/api/model")
    async def post_model(request: Request) -> Response:
        raw = await read_limited(request, model_io.MAX_MODEL_BYTES)
        command = await asyncio.to_thread(model_io.read_model_file, raw)
        await asyncio.to_thread(session.submit, command)
        return json_response({"ok": True, "epoch": command.epoch,
                              "state_version": session.state_version})


def add_stream(app: Any, session: Session) -> None:
    @app.get("/api/stream")
    async def get_stream(request: Request) -> StreamingResponse:
        return StreamingResponse(events(request, session), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache",
                                          "X-Accel-Buffering": "no"})


async def events(request: Any, session: Session) -> Any:
    """SSE: ``event: state`` with the scalars since the last event, ``data`` only when it
    changed, at most one event per frame; ``: ping`` every 15 s when nothing happens."""
    version = generation = data_version = -1
    position = 0
    last_sent = time.monotonic()
    yield "retry: 1000\n\n"
    while not await request.is_disconnected():
        if session.state_version == version:
            if time.monotonic() - last_sent >= PING_S:
                last_sent = time.monotonic()
                yield ": ping\n\n"
            await asyncio.sleep(FRAME_S / 2)
            continue
        body = session.state(position, with_data=False)
        if body["generation"] != generation:
            body = session.state(0, with_data=False)
            body["scalars_reset"] = generation != -1
            generation = body["generation"]
        if body["data_version"] != data_version or body.get("scalars_reset"):
            body["data"] = session.run.data.as_lists()
            data_version = body["data_version"]
        version, position = body["state_version"], body["n_scalars"]
        last_sent = time.monotonic()
        yield f"event: state\ndata: {dumps(body)}\n\n"
        await asyncio.sleep(FRAME_S)
