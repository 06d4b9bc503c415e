"""In a real headless Chromium: the ticket page's keyboard shortcuts walk the
current list and open the action boxes, and never fire while typing."""

import pytest

from tests.services import CHROMIUM, CHROMIUM_ARGS, require_chromium

pytestmark = pytest.mark.browser
PASSWORD = "keys-password-1"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_shortcuts_walk_the_list_and_stay_quiet_while_typing(live_server, django_user_model):
    from django.contrib.auth.models import Group

    from tickets import actions

    user = django_user_model.objects.create_user("desk_keys", password=PASSWORD)
    user.groups.add(Group.objects.get(name="desk"))
    older = actions.create_ticket(actor=user, text="统一认证密码忘了怎么重置", channel="qq")
    newer = actions.create_ticket(actor=user, text="华为鸿蒙手机装不了企业微信", channel="qq")

    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="zh-CN")
            page.set_default_timeout(15_000)
            page.goto(live_server.url + "/accounts/login/")
            page.fill("#id_username", "desk_keys")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.goto(live_server.url + "/tickets/?status=open")
            page.goto(live_server.url + f"/tickets/{newer.pk}/")

            page.keyboard.press("?")
            expect(page.locator("#shortcut-help")).to_be_visible()
            page.keyboard.press("Escape")
            expect(page.locator("#shortcut-help")).to_be_hidden()

            page.keyboard.press("c")
            expect(page.locator("#id_comment")).to_be_focused()
            page.keyboard.type("just kidding")  # j and k typed here do nothing
            expect(page).to_have_url(live_server.url + f"/tickets/{newer.pk}/")
            expect(page.locator("#id_comment")).to_have_value("just kidding")

            page.locator("h1").click()  # out of the field
            page.keyboard.press("a")
            expect(page.locator("#id_reply_text")).to_be_focused()
            page.locator("h1").click()
            page.keyboard.press("j")  # next in the list: the older ticket
            expect(page).to_have_url(live_server.url + f"/tickets/{older.pk}/")
            page.keyboard.press("k")
            expect(page).to_have_url(live_server.url + f"/tickets/{newer.pk}/")
        finally:
            browser.close()
