"""``mlplab.playground``: the browser playground, a TF-Playground-style page trained by mlplab.

``mlplab playground`` starts it (:func:`serve`); :class:`RunningServer` runs it in a
background thread. The page and the server speak the protocol in ``PROTOCOL.md``. The
server needs the ``mlplab[playground]`` extra (FastAPI, uvicorn); the config, datasets,
model builder and training core need only NumPy and pydantic.
"""

from mlplab.playground.config import (
    TF_COMPAT,
    PlaygroundConfig,
    make_config,
    tf_compat,
)
from mlplab.playground.url_state import from_flags, from_url_hash, to_flags, to_url_hash

__all__ = ["TF_COMPAT", "PlaygroundConfig", "RunningServer", "create_app", "from_flags",
           "from_url_hash", "make_config", "serve", "tf_compat", "to_flags", "to_url_hash"]


def __getattr__(name: str):  # the server's imports (FastAPI) only when asked for
    if name in ("RunningServer", "create_app", "serve"):
        from mlplab.playground import server

        return getattr(server, name)
    raise AttributeError(f"module 'mlplab.playground' has no attribute {name!r}")
