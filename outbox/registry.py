"""Kinds of side effect and the function that delivers each."""

from collections.abc import Callable

Handler = Callable[[dict], object]

_handlers: dict[str, Handler] = {}


class UnknownKind(LookupError):
    pass


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register `func(payload)` as the delivery of `kind`; raising means retry later."""

    def register(func: Handler) -> Handler:
        existing = _handlers.get(kind)
        if existing is not None and _name(existing) != _name(func):
            raise ValueError(f"outbox kind {kind!r} already has a handler: {existing!r}")
        _handlers[kind] = func
        return func

    return register


def _name(func: Handler) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def get(kind: str) -> Handler:
    try:
        return _handlers[kind]
    except KeyError:
        raise UnknownKind(f"no outbox handler registered for kind {kind!r}") from None


def kinds() -> list[str]:
    return sorted(_handlers)
