"""One log line per request, per Celery task and per mail sent, as key=value
pairs (logfmt) that grep, journald and any log shipper read without a parser.

    request method=GET path=/tickets/ status=200 ms=12 user=alice
    task name=reports.tasks.build_last_week_reports id=… state=SUCCESS ms=3050
    mail to=2 subject="…" backend=django.core.mail.backends.smtp.EmailBackend sent=1
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.http import HttpRequest, HttpResponse

request_log = logging.getLogger("supportdesk.requests")
task_log = logging.getLogger("supportdesk.tasks")
mail_log = logging.getLogger("supportdesk.mail")


def logfmt(event: str, **fields: object) -> str:
    parts = [event]
    for key, value in fields.items():
        text = "-" if value is None or value == "" else str(value)
        if any(ch in text for ch in ' "=\n'):
            text = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
        parts.append(f"{key}={text}")
    return " ".join(parts)


class RequestLogMiddleware:
    """Placed first: the duration covers every other middleware and the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_log.info(
            logfmt(
                "request",
                method=request.method,
                path=request.path,
                status=response.status_code,
                ms=round((time.monotonic() - started) * 1000),
                user=user.get_username() if user is not None and user.is_authenticated else None,
            )
        )
        return response


_task_started: dict[str, float] = {}


@task_prerun.connect
def _task_prerun(task_id: str | None = None, **_kwargs: Any) -> None:
    if task_id:
        _task_started[task_id] = time.monotonic()


@task_postrun.connect
def _task_postrun(
    task_id: str | None = None, task: Any = None, state: str | None = None, **_kwargs: Any
) -> None:
    started = _task_started.pop(task_id or "", None)
    task_log.info(
        logfmt(
            "task",
            name=getattr(task, "name", None),
            id=task_id,
            state=state,
            ms=None if started is None else round((time.monotonic() - started) * 1000),
        )
    )


class LoggedEmailBackend(BaseEmailBackend):
    """EMAIL_BACKEND of the project: hands each message to the real backend
    (settings.EMAIL_DELIVERY_BACKEND, from the EMAIL_BACKEND variable) and
    logs one line per message."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)
        self.backend = settings.EMAIL_DELIVERY_BACKEND
        self.inner = get_connection(self.backend, fail_silently=fail_silently, **kwargs)

    def open(self) -> bool | None:
        opened: bool | None = self.inner.open()
        return opened

    def close(self) -> None:
        self.inner.close()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            try:
                count = self.inner.send_messages([message]) or 0
            except Exception as exc:
                mail_log.warning(self._line(message, 0, error=f"{type(exc).__name__}: {exc}"))
                raise
            sent += count
            mail_log.info(self._line(message, count))
        return sent

    def _line(self, message: EmailMessage, sent: int, error: str | None = None) -> str:
        fields: dict[str, object] = {
            "to": len(message.recipients()),  # a count: addresses are personal data
            "subject": message.subject,
            "backend": self.backend,
            "sent": sent,
        }
        if error:
            fields["error"] = error
        return logfmt("mail", **fields)
