"""One log line per request, per task and per mail, with what an operator
greps for."""

import logging
import re

import pytest
from django.core import mail

from supportdesk.logs import logfmt


def lines(caplog, logger):
    return [r.getMessage() for r in caplog.records if r.name == logger]


@pytest.mark.django_db
def test_a_request_is_one_line_with_user_path_status_and_duration(client, desk, caplog):
    caplog.set_level(logging.INFO, logger="supportdesk.requests")
    client.force_login(desk)
    client.get("/tickets/?status=new")
    client.logout()
    client.get("/tickets/")
    [mine, anonymous] = lines(caplog, "supportdesk.requests")
    assert re.fullmatch(r"request method=GET path=/tickets/ status=200 ms=\d+ user=alice", mine)
    assert re.fullmatch(r"request method=GET path=/tickets/ status=302 ms=\d+ user=-", anonymous)


def test_a_task_is_one_line_with_its_name_state_and_duration(caplog):
    from supportdesk.celery import app

    @app.task(name="tests.log_probe")
    def probe():
        return 1

    caplog.set_level(logging.INFO, logger="supportdesk.tasks")
    probe.apply()
    [line] = lines(caplog, "supportdesk.tasks")
    assert re.fullmatch(r"task name=tests.log_probe id=[0-9a-f-]+ state=SUCCESS ms=\d+", line)


def test_a_mail_is_one_line_without_the_addresses(settings, caplog):
    settings.EMAIL_BACKEND = "supportdesk.logs.LoggedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    caplog.set_level(logging.INFO, logger="supportdesk.mail")
    sent = mail.send_mail("周报 2026-W47", "正文", None, ["lead@uestc.edu.cn", "b@uestc.edu.cn"])
    assert sent == 1 and len(mail.outbox) == 1
    [line] = lines(caplog, "supportdesk.mail")
    assert line == (
        'mail to=2 subject="周报 2026-W47" '
        "backend=django.core.mail.backends.locmem.EmailBackend sent=1"
    )
    assert "uestc.edu.cn" not in line


def test_values_with_spaces_or_quotes_stay_one_field():
    assert logfmt("x", a='say "hi"\nnow', b="", c=3) == r'x a="say \"hi\" now" b=- c=3'
