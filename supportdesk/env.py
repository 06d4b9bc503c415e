"""Parse-or-fail readers for the process environment.

Every setting that comes from the environment is read through these helpers,
so a bad value stops start-up with one line that names the variable instead of
a traceback somewhere deep in Django.
"""

import os
from urllib.parse import urlparse


class EnvError(Exception):
    """A variable of the environment holds a value the app cannot use."""

    def __init__(self, name: str, problem: str):
        self.name = name
        super().__init__(f"{name}: {problem}")


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(name, f"expected one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise EnvError(name, f"expected a whole number; got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default_sqlite_path: str) -> dict:
    """DATABASE_URL as a Django DATABASES entry; a SQLite file when unset."""
    import dj_database_url

    raw = env_str(name)
    if not raw:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": default_sqlite_path}
    scheme = urlparse(raw).scheme
    if not scheme or "://" not in raw:
        raise EnvError(
            name, f"not a database URL (expected e.g. postgres://user@host:5432/db); got {raw!r}"
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60)
    except Exception as exc:  # dj-database-url raises several types for bad URLs
        raise EnvError(name, f"cannot parse {raw!r}: {exc}") from None
    if not config.get("ENGINE"):
        raise EnvError(name, f"unsupported database scheme {scheme!r}")
    if config["ENGINE"] != "django.db.backends.sqlite3" and not config.get("NAME"):
        raise EnvError(name, f"no database name in {raw!r}")
    return config


def env_redis_url(name: str) -> str:
    """A redis:// URL, or '' when unset (Celery then runs tasks eagerly in-process)."""
    raw = env_str(name)
    if not raw:
        return ""
    parsed = urlparse(raw)
    if parsed.scheme not in {"redis", "rediss", "unix"} or (
        parsed.scheme != "unix" and not parsed.hostname
    ):
        raise EnvError(name, f"expected redis://host:port/db; got {raw!r}")
    try:
        parsed.port  # noqa: B018 -- raises ValueError on a non-numeric port
    except ValueError:
        raise EnvError(name, f"bad port in {raw!r}") from None
    return raw
