"""Whether operations record the computational graph (``no_grad`` turns it off)."""

from __future__ import annotations

from types import TracebackType


class _GradMode:
    """Process-wide switch read by every primitive call (a plain attribute: fastest to read)."""

    enabled = True


def is_grad_enabled() -> bool:
    """True when new operations are recorded for backward."""
    return _GradMode.enabled


class no_grad:
    """Context manager (and decorator) under which no graph is recorded.

    Use it for evaluation and prediction: results have ``requires_grad=False``,
    no inputs are kept alive for a backward pass, and each op costs less.

    >>> import mlplab as ml
    >>> w = ml.tensor([1.0], requires_grad=True)
    >>> with ml.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """

    _enable = False

    def __enter__(self) -> None:
        self._saved = _GradMode.enabled
        _GradMode.enabled = self._enable

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _GradMode.enabled = self._saved

    def __call__(self, fn):  # used as a decorator
        def wrapper(*args, **kwargs):
            with type(self)():
                return fn(*args, **kwargs)

        wrapper.__name__ = getattr(fn, "__name__", "wrapper")
        wrapper.__doc__ = getattr(fn, "__doc__", None)
        return wrapper


class enable_grad(no_grad):
    """Context manager that turns graph recording back on inside a ``no_grad`` block."""

    _enable = True
