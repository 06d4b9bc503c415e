"""The public guide for candidates (issue 11, item 8)."""

import pytest

from guide.models import FaqCategory

QR_SENTENCE = "扫描下方二维码"


@pytest.mark.django_db
class TestNoInternalCodes:
    def test_index_shows_titles_not_codes(self, client):
        html = client.get("/guide/").content.decode()
        assert "<code>" not in html
        assert ">wecom_activate<" not in html and " wecom_activate" not in html

    def test_category_page_shows_no_code(self, client):
        category = FaqCategory.objects.get(code="sms_code")
        html = client.get(category.get_absolute_url()).content.decode()
        text = html.split("<main", 1)[1]
        assert "sms_code" not in text.replace('href="/guide/sms_code/"', "")
        assert category.title in text


@pytest.mark.django_db
class TestActivationQr:
    def test_a_server_made_qr_code_under_the_step_when_the_link_is_set(self, client, settings):
        settings.WECOM_ACTIVATION_URL = "https://work.weixin.qq.com/join/example"
        html = client.get("/guide/").content.decode()
        assert QR_SENTENCE in html
        figure = html.split('<figure class="qr">')[1].split("</figure>")[0]
        assert "<svg" in figure and "https://work.weixin.qq.com/join/example" in figure

    def test_no_code_and_no_sentence_pointing_at_one_when_unset(self, client, settings):
        settings.WECOM_ACTIVATION_URL = ""
        html = client.get("/guide/").content.decode()
        assert QR_SENTENCE not in html and '<figure class="qr">' not in html


@pytest.mark.django_db
def test_guide_shows_the_configured_info_center_contacts(client, settings):
    settings.INFO_CENTER_PHONE = "028-00000000"
    settings.INFO_CENTER_EMAIL = "help@example.edu.cn"
    for url in ("/guide/", FaqCategory.objects.get(code="ids_activate").get_absolute_url()):
        html = client.get(url).content.decode()
        assert "028-00000000" in html and "help@example.edu.cn" in html
        assert "028-61831184" not in html and "iservice@uestc.edu.cn" not in html


@pytest.mark.django_db
def test_a_friendly_404_in_the_sites_style(client, settings):
    settings.DEBUG = False
    response = client.get("/guide/no-such-category/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and 'href="/guide/"' in html and "app.css" in html


@pytest.mark.django_db
def test_every_page_names_a_favicon_that_exists(client):
    from django.contrib.staticfiles import finders

    html = client.get("/guide/").content.decode()
    link = html.split('<link rel="icon" href="')[1].split('"')[0]
    assert link.endswith("favicon.svg")
    assert finders.find("favicon.svg")
