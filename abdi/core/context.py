"""Per-request context (request id, client IP, user) reachable from services without ``request``."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None
    user_id: int | None = None


_EMPTY = RequestContext()
_current: ContextVar[RequestContext | None] = ContextVar("abdi_request_context", default=None)


def get_context() -> RequestContext:
    """Return the context of the request (or task) being served."""
    return _current.get() or _EMPTY


def set_context(ctx: RequestContext) -> object:
    """Install ``ctx`` and return a token for :func:`reset_context`."""
    return _current.set(ctx)


def reset_context(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
