import pytest
from django.urls import reverse

from guide.categories import CATEGORY_CODES

pytestmark = pytest.mark.django_db


def test_the_whole_guide_is_public_with_anchors(client):
    response = client.get(reverse("guide:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for anchor in [
        "preface-note-1",
        "step-3",
        "att1-step-1",
        "att1-step-7",
        "att2-step-5",
        "conclusion-1",
        "faq-4",
    ]:
        assert f'id="{anchor}"' in html
    for fact in [
        "https://idas.uestc.edu.cn",
        "028-61831184",
        "iservice@uestc.edu.cn",
        "鸿蒙Next",
        "消息中心",
        "账号与安全→手机号→更换手机号",
    ]:
        assert fact in html
    assert 'name="viewport"' in html


@pytest.mark.parametrize("code", CATEGORY_CODES)
def test_each_category_page_is_public_and_links_its_steps(client, code):
    response = client.get(reverse("guide:category", args=[code]))
    assert response.status_code == 200
    assert code in response.content.decode()


def test_category_page_shows_answer_and_escalation_channel(client):
    html = client.get(reverse("guide:category", args=["phone_change"])).content.decode()
    assert "更换手机号" in html
    assert "028-61831184" in html
    assert f'href="{reverse("guide:index")}#faq-3"' in html


def test_unknown_category_is_404(client):
    assert client.get("/guide/no_such_thing/").status_code == 404


def test_chinese_is_the_default_whatever_the_browser_asks(client):
    response = client.get(reverse("guide:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in response.content.decode()


def test_english_is_available_through_the_language_switch(client):
    switched = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("guide:index")}
    )
    assert switched.status_code == 302
    response = client.get(reverse("guide:index"))
    assert '<html lang="en">' in response.content.decode()


def test_addresses_in_answers_are_linked_without_swallowing_chinese_text(client):
    html = client.get(reverse("guide:category", args=["sms_code"])).content.decode()
    assert '<a href="mailto:iservice@uestc.edu.cn">iservice@uestc.edu.cn</a>' in html
    assert '<a href="tel:028-61831184">028-61831184</a>' in html


@pytest.mark.parametrize("path", ["/", "/admin/", "/healthz"])
def test_anonymous_users_reach_nothing_but_the_guide(client, path):
    response = client.get(path)
    if path == "/healthz":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_guide_content_stays_marked_chinese_under_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("guide:index")).content.decode()
    assert '<section id="faq" class="guide-section" lang="zh-Hans">' in html
    html = client.get(reverse("guide:category", args=["unfollow"])).content.decode()
    assert '<p lang="zh-Hans">请按以下步骤取消关注' in html
