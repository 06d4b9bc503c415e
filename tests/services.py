"""Reach the real PostgreSQL, Chromium, a redis-server of the test's own, or skip
naming the missing service.

Under SUPPORTDESK_REQUIRE_SERVICES=1 (set by .ci/run) an unreachable service
fails the test instead of skipping it.
"""

import os
import shutil

import pytest


def services_required() -> bool:
    return os.environ.get("SUPPORTDESK_REQUIRE_SERVICES") == "1"


def unavailable(service: str, detail: str):
    message = f"{service} unreachable: {detail}"
    if services_required():
        pytest.fail(f"{message} (SUPPORTDESK_REQUIRE_SERVICES=1)")
    pytest.skip(message)


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> str:
    """Debian's Chromium and Playwright to drive it; returns the browser's path."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        unavailable("Chromium", f"no Chromium at {CHROMIUM} (apt install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("Playwright", "playwright is not installed (make install-test)")
    return CHROMIUM


def require_postgres():
    """For tests marked `postgres`: the suite's own database must be PostgreSQL."""
    from django.db import connection

    if connection.vendor != "postgresql":
        unavailable("PostgreSQL", "DATABASE_URL does not point at PostgreSQL")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own on a free port, to stop and start at will
    (never the machine's shared 127.0.0.1:6379)."""

    def __init__(self, tmp_path):
        import shutil

        self.binary = shutil.which("redis-server")
        if not self.binary:
            unavailable("redis-server", "no redis-server binary on PATH")
        self.port = free_port()
        self.dir = tmp_path
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        import subprocess
        import time

        import redis

        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        self.stop()
        unavailable("redis-server", f"did not answer on port {self.port}")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=1)


class SMTPServer:
    """An aiosmtpd server in this process that keeps what it receives; start/stop at will."""

    def __init__(self):
        try:
            from aiosmtpd.controller import Controller  # noqa: F401
        except ImportError:
            unavailable("aiosmtpd", "the aiosmtpd package is not installed")
        self.port = free_port()
        self.messages = []
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        server = self

        class Keep:
            async def handle_DATA(self, smtp, session, envelope):  # noqa: N802 -- aiosmtpd's name
                server.messages.append(envelope)
                return "250 OK"

        self.controller = Controller(Keep(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def bodies(self) -> list[str]:
        import email
        from email import policy

        texts = []
        for envelope in self.messages:
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            part = message.get_body(preferencelist=("plain",))
            texts.append(part.get_content().replace("\r\n", "\n").strip() if part else "")
        return texts


class celery_broker:  # noqa: N801 -- used as a context manager, like a function
    """Point the Celery app at `url` with eager mode off, restoring it afterwards."""

    def __init__(self, url: str):
        self.url = url

    def __enter__(self):
        from supportdesk.celery import app

        self.app = app
        self.saved = {
            "broker_url": app.conf.broker_url,
            "task_always_eager": app.conf.task_always_eager,
            "broker_connection_timeout": app.conf.broker_connection_timeout,
        }
        app.conf.update(broker_url=self.url, task_always_eager=False, broker_connection_timeout=1)
        self._reset_pools()
        return app

    def __exit__(self, *exc):
        self.app.conf.update(**self.saved)
        self._reset_pools()

    def _reset_pools(self):
        self.app._after_fork()  # drops the cached connection and producer pools
