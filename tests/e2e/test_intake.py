"""In a real headless Chromium: desk staff log in, paste a message, see the
suggestion, accept it and mark it answered; a college teacher resolves a
referral and cannot open another college's ticket."""

import pytest

from tests.base import password_of
from tests.services import CHROMIUM, CHROMIUM_ARGS, require_chromium

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_desk_logs_accepts_and_answers(live_server, desk):
    # Everything the database needs happens before the browser starts (the
    # desk fixture included): Django's ORM refuses to run inside Playwright's
    # event loop.
    text = "老师好，企业号激活第三步一直收不到手机验证码，已经重发好几次了"

    _drive_browser(live_server.url, text, desk)

    from tickets.models import Status, Ticket

    ticket = Ticket.objects.get()
    assert ticket.text == text and ticket.status == Status.ANSWERED
    assert (ticket.category, ticket.route) == (ticket.suggested_category, ticket.suggested_route)
    assert list(ticket.events.values_list("kind", flat=True)) == ["created", "answered"]


def _drive_browser(base, text, user):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
            page.set_default_timeout(15_000)
            page.goto(base + "/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", password_of(user))
            page.click("button[type=submit]")
            expect(page.locator("h1")).to_contain_text("服务台首页")

            page.goto(base + "/tickets/new/")
            page.fill("#id_text", text)
            # The suggestion appears while typing, without submitting the form.
            expect(page.locator("#s-body")).to_be_visible()
            expect(page.locator("#s-category")).not_to_be_empty()
            expect(page.locator("#s-reply")).not_to_be_empty()

            page.click("#accept")
            expect(page.locator("#ticket-status")).to_have_text("新建")
            reply = page.locator("#id_reply_text")
            expect(reply).not_to_have_value("")
            page.click("#mark-answered")
            expect(page.locator("#ticket-status")).to_have_text("已答复")
            expect(page.locator("#timeline")).to_contain_text("已答复")
        finally:
            browser.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_teacher_resolves_a_referral_and_cannot_open_another_colleges(
    live_server, desk, teacher_a, college_a, college_b
):
    from tickets import actions
    from tickets.models import Status, Ticket

    teacher, ours, theirs = teacher_a, college_a, college_b
    mine = actions.create_ticket(
        actor=desk, text="激活一周了还没进学院群", channel="qq", college=ours
    )
    actions.perform("refer", actor=desk, ticket=mine, note="请拉群")
    other = actions.create_ticket(actor=desk, text="别的学院的考生", channel="qq", college=theirs)

    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
            page.set_default_timeout(15_000)
            page.goto(live_server.url + "/accounts/login/")
            page.fill("#id_username", teacher.username)
            page.fill("#id_password", password_of(teacher))
            page.click("button[type=submit]")
            page.click(f'a[href="/tickets/{mine.pk}/"]')
            expect(page.locator("#ticket-status")).to_have_text("已转学院")
            page.fill("#id_note_resolve", "已拉进学院群")
            page.click("text=标记为已解决")
            expect(page.locator("#ticket-status")).to_have_text("已解决")
            response = page.goto(live_server.url + f"/tickets/{other.pk}/")
            assert response.status == 404
        finally:
            browser.close()

    assert Ticket.objects.get(pk=mine.pk).status == Status.RESOLVED
