"""Parse-or-fail readers for the process environment.

Every setting that comes from the environment is read through these helpers,
so a bad value stops start-up with one line that names the variable instead of
a traceback somewhere deep in Django.
"""

import math
import os
from urllib.parse import urlparse


class EnvError(Exception):
    """A variable of the environment holds a value the app cannot use."""

    def __init__(self, name: str, problem: str):
        self.name = name
        super().__init__(f"{name}: {problem}")


# Values of the .env file (load_env_file): defaults under the process environment.
_FILE_VALUES: dict[str, str] = {}


def load_env_file(path) -> None:
    """Read KEY=VALUE lines (`#` comments, optional quotes) as defaults; the
    process environment wins. A missing file is no error."""
    from pathlib import Path

    _FILE_VALUES.clear()
    if not path:
        return
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip():
            raise EnvError(f"{path}:{number}", "expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        _FILE_VALUES[key.strip()] = value


def _get(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value is not None else _FILE_VALUES.get(name)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    value = _get(name)
    return (default if value is None else value).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = _get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(name, f"expected one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = _get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise EnvError(name, f"expected a whole number; got {raw!r}") from None


def env_float(name: str, at_most: float | None = None) -> float | None:
    """A positive finite number (no more than `at_most` when given), or None
    when the variable is unset or empty (the caller's default then applies)."""
    raw = _get(name)
    if raw is None or not raw.strip():
        return None
    try:
        value = float(raw)
    except ValueError:
        raise EnvError(name, f"expected a number; got {raw!r}") from None
    if not (value > 0 and math.isfinite(value)):  # also refuses nan
        raise EnvError(name, f"expected a positive number; got {raw!r}")
    if at_most is not None and value > at_most:
        raise EnvError(name, f"expected a number no greater than {at_most:g}; got {raw!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = _get(name)
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
    return dict(config)


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


# IMAP_URL schemes: implicit TLS, STARTTLS on the plain port, and plain text
# (a lab server only).
IMAP_SCHEMES = {"imaps": 993, "imap+starttls": 143, "imap": 143}


def env_imap_url(name: str) -> dict | None:
    """IMAP_URL as {security, host, port, user, password, folder}; None when unset.

    imaps://user:password@host:993/INBOX (user and password percent-encoded).
    """
    from urllib.parse import unquote

    raw = env_str(name)
    if not raw:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in IMAP_SCHEMES:
        raise EnvError(
            name,
            f"expected imaps://, imap+starttls:// or imap://user:password@host/INBOX; got {raw!r}",
        )
    if not parsed.hostname or not parsed.username or parsed.password is None:
        raise EnvError(name, "needs a host, a user and a password (user:password@host)")
    try:
        port = parsed.port or IMAP_SCHEMES[parsed.scheme]
    except ValueError:
        raise EnvError(name, "bad port") from None
    return {
        "security": parsed.scheme,
        "host": parsed.hostname,
        "port": port,
        "user": unquote(parsed.username),
        "password": unquote(parsed.password),
        "folder": unquote(parsed.path.lstrip("/")) or "INBOX",
    }


def env_wecom_aes_key(name: str) -> str:
    """The 43-character EncodingAESKey of a WeCom app ('' when unset)."""
    import base64
    import binascii

    raw = env_str(name)
    if not raw:
        return ""
    try:
        key = base64.b64decode(raw + "=", validate=True)
    except binascii.Error:
        key = b""
    if len(raw) != 43 or len(key) != 32:
        raise EnvError(name, "expected the app's 43-character EncodingAESKey")
    return raw
