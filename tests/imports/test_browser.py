"""In a real headless Chromium: desk staff upload a spreadsheet, watch the bar
move, and read the summary with the bad rows."""

import functools
import re

import pytest

from tests.base import password_of
from tests.services import CHROMIUM, CHROMIUM_ARGS, require_chromium, require_postgres

# PostgreSQL only: the import thread writes while the page polls, and the test
# run's in-memory SQLite database locks whole tables across threads (a file
# database, as `make run` uses, waits instead; tried by hand, see bench/README).
pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upload_progress_bar_and_summary(live_server, desk, settings, monkeypatch, tmp_path):
    from imports import jobs

    require_postgres()
    require_chromium()
    # No broker: the web process imports in a thread, so the page can poll.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Small batches: many progress steps however fast the machine is.
    monkeypatch.setattr(jobs, "run_job", functools.partial(jobs.run_job, batch_size=100))
    path = tmp_path / "群消息.csv"
    lines = ["内容,渠道,学院,时间"]
    lines += [f"企业微信收不到验证码 第{i}条,QQ,sice,2026-03-20 14:05" for i in range(3000)]
    lines[1500] = "登不上企业微信,QQ,火星学院,2026-03-20 14:05"
    path.write_text("\n".join(lines) + "\n", encoding="gb18030")

    seen = _drive_browser(live_server.url, path, desk)

    assert any(0 < value < 100 for value in seen), seen  # the bar moved
    from tickets.models import Ticket

    assert Ticket.objects.count() == 2999


def _drive_browser(base, path, user):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="zh-CN")
            page.set_default_timeout(60_000)
            page.goto(base + "/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", password_of(user))
            page.click("button[type=submit]")
            page.goto(base + "/imports/")
            page.set_input_files("#id_file", str(path))
            page.click("button.btn[type=submit]")
            page.wait_for_url("**/imports/*/")
            page.evaluate(
                """() => {
                  window.__seen = [];
                  const bar = document.getElementById('import-bar');
                  new MutationObserver(() => window.__seen.push(bar.value))
                    .observe(bar, {attributes: true});
                }"""
            )
            seen = []
            for _ in range(600):
                try:
                    seen = page.evaluate("() => window.__seen || null") or seen
                except Exception:  # the page reloads itself for the summary
                    pass
                if page.locator("text=下载全部错误行").count():
                    break
                page.wait_for_timeout(100)
            expect(page.locator("#import-status")).to_have_text("已完成")
            expect(page.locator("#import-created")).to_have_text(re.compile(r"^2,?999$"))
            expect(page.locator("table").last).to_contain_text("火星学院")
            expect(page.locator("table").last).to_contain_text("1501")
            return seen
        finally:
            browser.close()
