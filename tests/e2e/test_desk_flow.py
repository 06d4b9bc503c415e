"""In a real headless Chromium with the demo data: 200 open tickets of one
problem answered with a canned reply and resolved in one bulk action while the
progress bar moves; a duplicate merged; an auto-closed ticket; a stale form
refused."""

import time
from datetime import timedelta

import pytest

from tests.services import CHROMIUM, CHROMIUM_ARGS, require_chromium, require_postgres

PASSWORD = "flow-password-1"

# PostgreSQL only: the bulk job's thread writes while the page polls, and the
# test run's in-memory SQLite locks whole tables across threads.
pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def _setup():
    """Everything the database needs, before the browser (the ORM refuses to
    run inside Playwright's event loop)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.utils import timezone

    from macros.models import CannedReply
    from tickets import actions
    from tickets.models import OPEN_STATUSES, Ticket

    call_command("demo_data", verbosity=0)
    desk = get_user_model().objects.create_user("desk_flow", password=PASSWORD)
    desk.groups.add(Group.objects.get(name="desk"))
    other = get_user_model().objects.create_user("desk_flow2", password=PASSWORD)
    other.groups.add(Group.objects.get(name="desk"))
    # 200 open tickets of one problem, written directly (no triage needed).
    now = timezone.now()
    Ticket.objects.bulk_create(
        [
            Ticket(
                text=f"企业微信激活收不到短信验证码 第{i}位考生",
                channel="wechat",
                category="sms_code",
                route="guide_answer",
                suggested_category="sms_code",
                suggested_route="guide_answer",
                suggested_confidence=0.9,
                candidate_number=f"10614699{i:07d}",
                created_at=now - timedelta(minutes=i),
                source_key=f"flow:{i}",
            )
            for i in range(200)
        ]
    )
    reply = CannedReply.objects.create(
        name="验证码重发",
        category="sms_code",
        body="{candidate_number} 同学：请等待60秒后重新获取验证码。",
    )
    source = actions.create_ticket(
        actor=desk,
        text="统一认证密码忘了怎么重置",
        channel="qq",
        candidate_number="106146990009998",
    )
    target = actions.create_ticket(
        actor=desk, text="忘记统一身份认证密码了", channel="phone", candidate_name="王五"
    )
    answered = actions.create_ticket(actor=desk, text="鸿蒙手机装不了企业微信", channel="qq")
    actions.perform("answer", actor=desk, ticket=answered, reply_text="请使用网页版")
    Ticket.objects.filter(pk=answered.pk).update(updated_at=now - timedelta(days=8))
    call_command("close_answered", verbosity=0)
    stale = actions.create_ticket(actor=desk, text="学院群一直没人拉我", channel="qq")
    group = Ticket.objects.filter(
        status__in=OPEN_STATUSES, category="sms_code", route="guide_answer"
    )
    return {
        "group": group.count(),  # our 200 and the demo data's own
        "reply": reply.pk,
        "source": source.pk,
        "target": target.pk,
        "answered": answered.pk,
        "stale": stale.pk,
    }


def _login(browser, base, username):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.set_default_timeout(60_000)
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bulk_merge_autoclose_and_stale_form(live_server, settings):
    require_postgres()
    require_chromium()
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no broker: the web process runs the job in a thread
    ids = _setup()
    seen = []
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = _login(browser, live_server.url, "desk_flow")
            expect(page.locator("#desk-counts")).to_be_visible()  # the desk home page

            # 1. the whole group in one bulk action, with a moving bar
            page.goto(
                live_server.url + "/tickets/?status=open&category=sms_code&route=guide_answer"
            )
            expect(page.locator("#bulk-form")).to_contain_text(
                f"选择全部符合筛选的 {ids['group']} 个工单"
            )
            page.check("#bulk-all")
            page.select_option("#bulk-action", "answer")
            page.select_option("#bulk-reply", str(ids["reply"]))
            page.check("#bulk-resolve")
            page.click("#bulk-submit")
            bar = page.locator("#bulk-bar")
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    seen.append(int(float(bar.get_attribute("value", timeout=2_000) or 0)))
                except Exception:  # the page reloads when the job is done
                    pass
                if page.locator("#bulk-summary").count():
                    break
                page.wait_for_timeout(150)
            expect(page.locator("#bulk-summary")).to_contain_text("没有跳过的工单")

            # 2. a duplicate merged from its page
            page.goto(live_server.url + f"/tickets/{ids['source']}/")
            page.click("#merge summary")
            page.fill("#id_into", str(ids["target"]))
            page.click("#merge button[type=submit]")
            expect(page).to_have_url(live_server.url + f"/tickets/{ids['target']}/")
            expect(page.locator("#timeline")).to_contain_text("统一认证密码忘了怎么重置")

            # 3. the auto-close run's rule on the timeline
            page.goto(live_server.url + f"/tickets/{ids['answered']}/")
            expect(page.locator("#ticket-status")).to_have_text("已解决")
            expect(page.locator("#timeline")).to_contain_text("自动解决")

            # 4. two desks on one ticket: the second, stale form is refused
            other = _login(browser, live_server.url, "desk_flow2")
            page.goto(live_server.url + f"/tickets/{ids['stale']}/")
            other.goto(live_server.url + f"/tickets/{ids['stale']}/")
            other.click("#mark-answered")
            expect(other.locator("#ticket-status")).to_have_text("已答复")
            page.fill("#id_note_close", "重复")
            page.click("text=关闭工单")
            expect(page.locator(".messages")).to_contain_text("工单已被他人更新")
            expect(page.locator("#ticket-status")).to_have_text("已答复")
        finally:
            browser.close()

    from tickets.models import Status, Ticket

    assert any(0 < value < 100 for value in seen), seen  # the bar moved
    group = Ticket.objects.filter(source_key__startswith="flow:")
    assert group.filter(status=Status.RESOLVED).count() == 200
    assert group.first().reply_text.endswith("请等待60秒后重新获取验证码。")
    assert Ticket.objects.get(pk=ids["source"]).merged_into_id == ids["target"]
    assert Ticket.objects.get(pk=ids["stale"]).status == Status.ANSWERED
