"""A live supportdesk on this machine for the CI steps and bench scripts that
drive it over HTTP (scripts/api_fuzz.py, scripts/production_shape.py,
bench/hardening.py): a throwaway database, gunicorn on a free port, optionally
a private redis-server, a Celery worker and beat, and an SMTP sink.

Everything runs as production does (DEBUG off, gunicorn.conf.py); nothing here
touches the machine's shared Redis on 6379 or a database it did not create.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
PYTHON = str(VENV / "bin" / "python")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, what: str, step: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(step)
    raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")


DESK_USER = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from tickets import roles
user = get_user_model().objects.create_user("desk", password="demo-2026")
user.groups.add(Group.objects.get(name=roles.DESK))
"""


class Stack:
    """Processes of one live set-up; `close()` (or the `with` block) ends them all."""

    def __init__(self, *, database_url: str | None = None, extra_env: dict | None = None):
        self.dir = Path(tempfile.mkdtemp(prefix="supportdesk-live-"))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("SUPPORTDESK_")},
            "DJANGO_SETTINGS_MODULE": "supportdesk.settings",
            "DEBUG": "0",
            "SECRET_KEY": "live-stack-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SUPPORTDESK_HTTPS": "0",
            "SITE_URL": self.base,
            "HOST": f"127.0.0.1:{self.port}",
            "DATABASE_URL": database_url or f"sqlite:///{self.dir / 'db.sqlite3'}",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
            # Never the checkout's .env (make run's DEBUG=1): only what is set here.
            "SUPPORTDESK_ENV_FILE": str(self.dir / "no.env"),
            "STATIC_ROOT": str(self.dir / "static"),
            **(extra_env or {}),
        }
        self.env.pop("DATABASE_URL_TEST", None)

    # -- set-up --------------------------------------------------------------

    def manage(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if check and result.returncode:
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"manage.py {' '.join(args)} failed ({result.returncode})")
        return result.stdout

    def prepare(self, demo: bool = True) -> None:
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.manage("load_guide")
        if demo:
            self.manage("demo_data")  # the demo logins and ~200 tickets
        else:
            self.manage("shell", "-c", DESK_USER)  # the desk login alone

    def token(self, username: str = "desk") -> str:
        return self.manage("api_token", username).strip().split()[-1]

    # -- processes -----------------------------------------------------------

    def start(self, name: str, argv: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.dir / f"{name}.log", "wb")  # noqa: SIM115 -- kept open for the child
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: stopping it stops its workers
        )
        self.processes[name] = process
        return process

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass

    def log(self, name: str) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def gunicorn(self, workers: int = 2) -> None:
        self.start(
            "gunicorn",
            [str(VENV / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "supportdesk.wsgi"],
            env={"WEB_CONCURRENCY": str(workers)},
        )
        wait_until(self._healthy, 60, f"gunicorn on {self.base}")

    def serve(self) -> None:
        """`make serve`'s script: gunicorn (2 workers), a Celery worker and beat."""
        self.start(
            "serve",
            ["bash", str(ROOT / "scripts" / "serve.sh")],
            env={
                "VENV": str(VENV),
                "WEB_CONCURRENCY": "2",
                "BEAT_SCHEDULE": str(self.dir / "celerybeat-schedule"),
            },
        )
        wait_until(lambda: self._healthy("serve"), 90, f"make serve on {self.base}")

    def _healthy(self, name: str = "gunicorn") -> bool:
        process = self.processes[name]
        if process.poll() is not None:
            sys.stderr.write(self.log(name))
            raise SystemExit(f"{name} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{self.base}/guide/", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name)
        if not os.environ.get("KEEP_LIVE_STACK"):
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class PrivateRedis:
    """A redis-server of our own on a free port (never the shared 6379)."""

    def __init__(self, directory: Path):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise SystemExit("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.dir = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.ping, 10, f"redis-server on port {self.port}", step=0.05)
        return self

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class SMTPSink:
    """aiosmtpd in this process, keeping every message it receives."""

    def __init__(self):
        self.port = free_port()
        self.messages: list = []
        sink = self

        class Keep:
            async def handle_DATA(self, smtp, session, envelope):  # noqa: N802 -- aiosmtpd's name
                sink.messages.append(envelope)
                return "250 OK"

        self.handler = Keep()
        self.controller = None

    def start(self) -> SMTPSink:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def subjects(self) -> list[str]:
        import email
        from email import policy

        return [
            str(email.message_from_bytes(e.content, policy=policy.default)["Subject"])
            for e in self.messages
        ]

    def bodies(self) -> list[str]:
        import email
        from email import policy

        out = []
        for envelope in self.messages:
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            part = message.get_body(preferencelist=("plain",))
            out.append(part.get_content() if part else "")
        return out
