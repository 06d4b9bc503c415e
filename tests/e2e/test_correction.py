"""In a real headless Chromium: the desk corrects a ticket's category and the
page then shows, and copies, the new category's answer (issue 11, item 1)."""

import pytest

from tests.base import password_of
from tests.services import CHROMIUM, CHROMIUM_ARGS, require_chromium

pytestmark = pytest.mark.browser

HARMONY = "华为 mate 70 鸿蒙系统装不了企业微信"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_corrected_ticket_shows_and_copies_the_new_answer(live_server, desk, make_ticket):
    from guide.models import FaqCategory

    ticket = make_ticket(HARMONY)
    target = "wechat_change" if ticket.category != "wechat_change" else "sms_code"
    faq = FaqCategory.objects.get(code=target)
    new_answer, old_answer = faq.answer_for("guide_answer"), ticket.reply_text
    assert new_answer != old_answer

    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.goto(live_server.url + "/accounts/login/")
            page.fill("#id_username", desk.username)
            page.fill("#id_password", password_of(desk))
            page.click("button[type=submit]")
            page.goto(live_server.url + f"/tickets/{ticket.pk}/")
            page.select_option("#id_category", target)
            page.select_option("#id_route", "guide_answer")
            page.get_by_role("button", name="保存更正").click()
            expect(page.locator("#reply-source")).to_contain_text(faq.title)
            expect(page.locator("#id_reply_text")).to_have_value(new_answer)
            page.locator("[data-copy=id_reply_text]").click()
            expect(page.locator("[data-copy=id_reply_text]")).to_have_text("已复制")
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied == new_answer
        finally:
            browser.close()
