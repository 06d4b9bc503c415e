"""English through the language switch: the one catalog is complete, and the
staff pages and the guide show English navigation and headings once a user
picks English (the guide's own content stays Chinese)."""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.base import make_user
from tickets import roles

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _unquote(s: str) -> str:
    # PO strings use C escapes; only \" \\ \n \t occur in ours.
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), s[1:-1])


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgstr (plural forms joined), flags."""
    entries, entry, field = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry, field = None, None
            continue
        if line.startswith("#~"):
            continue
        entry = entry or {"msgid": "", "msgstr": "", "flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid ", "msgid_plural ", "msgctxt ")):
            field = line.split(" ", 1)[0]
            entry[field] = _unquote(line.split(" ", 1)[1])
        elif line.startswith("msgstr"):
            field = "msgstr"
            entry["msgstr"] += ("\0" if entry["msgstr"] else "") + _unquote(line.split(" ", 1)[1])
            entry.setdefault("forms", []).append(_unquote(line.split(" ", 1)[1]))
        elif line.startswith('"') and field:
            entry[field] += _unquote(line)
            if field == "msgstr":
                entry["forms"][-1] += _unquote(line)
    return [e for e in entries if e.get("msgid")]


def test_catalog_has_every_message_translated_and_none_fuzzy():
    entries = read_po(CATALOG)
    assert len(entries) > 300
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in entries if not all(e["forms"])] == []
    # A translation that is still Chinese is an untranslated one, except the
    # language's own name in the switch and the Chinese column name an import
    # file may use.
    chinese_allowed = {"简体中文", "第 1 行（表头）没有“text / 内容”列。表头应包含：%(columns)s。"}
    still_chinese = [e["msgid"] for e in entries if HAN.search(e["msgstr"])]
    assert sorted(set(still_chinese) - chinese_allowed) == []


def test_compiled_catalog_matches_the_po():
    # The .mo is committed (a fresh machine has no msgfmt), so it must be
    # recompiled whenever the .po changes.
    with CATALOG.with_suffix(".mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog
    stale = []
    for e in read_po(CATALOG):
        key = f"{e['msgctxt']}\x04{e['msgid']}" if e.get("msgctxt") else e["msgid"]
        if "msgid_plural" in e:
            if [compiled.get((key, i)) for i in range(len(e["forms"]))] != e["forms"]:
                stale.append(e["msgid"])
        elif compiled.get(key) != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == []


def test_there_is_one_catalog():
    base = Path(settings.BASE_DIR)
    tops = [d for d in base.iterdir() if d.is_dir() and d.name not in {".venv", ".git", "var"}]
    found = [p for top in tops for p in top.glob("**/locale/*/LC_MESSAGES/*.po")]
    found += base.glob("locale/*/LC_MESSAGES/*.po")
    catalogs = sorted(p.relative_to(base).as_posix() for p in found)
    assert catalogs == ["locale/en/LC_MESSAGES/django.po"]


class Headings(HTMLParser):
    """Text of the top bar, headings, table headers, labels and buttons."""

    WATCHED = {"header", "h1", "h2", "h3", "th", "label", "button", "title", "legend"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.texts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.WATCHED:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.WATCHED and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.texts.append(data.strip())


def headings(html: str) -> list[str]:
    parser = Headings()
    parser.feed(html)
    # The language switch names Chinese in Chinese, on purpose.
    return [t for t in parser.texts if t != "简体中文"]


# Full-width brackets and colons read as leftovers in English too.
CHINESE_OR_FULL_WIDTH = re.compile(r"[\u4e00-\u9fff\uff08\uff09\uff1a]")


def chinese_in(texts: list[str]) -> list[str]:
    return [t for t in texts if CHINESE_OR_FULL_WIDTH.search(t)]


@pytest.fixture
def english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


@pytest.fixture
def staff(db):
    user = make_user("desk_en", roles.DESK)
    user.groups.add(Group.objects.get(name=roles.REPORT_VIEWER))
    return user


@pytest.mark.django_db
def test_login_page_in_english(english):
    html = english.get(reverse("login")).content.decode()
    assert "<h1>Log in</h1>" in html
    assert chinese_in(headings(html)) == []


@pytest.mark.django_db
def test_guide_index_in_english_keeps_the_guide_content_chinese(english):
    html = english.get(reverse("guide:index")).content.decode()
    assert "UESTC WeCom Account Activation Guide for Candidates" in html
    assert "FAQ categories" in html
    # Category titles use title_en; the guide's sections stay Chinese.
    assert "Activating the unified identity (IDAS) account" in html
    assert "统一身份认证账号激活</a>" not in html
    assert HAN.search(html)  # the guide text itself


@pytest.mark.django_db
def test_guide_category_shows_english_title(english):
    from guide.models import FaqCategory

    category = FaqCategory.objects.exclude(title_en="").first()
    html = english.get(reverse("guide:category", args=[category.code])).content.decode()
    assert f"<h1>{category.title_en}</h1>" in html


@pytest.mark.django_db
def test_staff_pages_in_english(english, staff):
    from tickets import actions

    ticket = actions.create_ticket(
        text="企业号激活第三步一直收不到手机验证码", channel="phone", actor=staff
    )
    english.force_login(staff)
    pages = {
        reverse("tickets:list"): "Tickets",
        reverse("tickets:new"): "New ticket",
        reverse("tickets:detail", args=[ticket.pk]): "Category",
        reverse("reports:report"): "Weekly report",
        reverse("imports:index"): "Bulk import tickets",
    }
    for url, expected in pages.items():
        response = english.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert expected in html, url
        assert chinese_in(headings(html)) == [], url


@pytest.mark.django_db
def test_chinese_stays_the_default(client, staff):
    client.force_login(staff)
    html = client.get(reverse("tickets:new"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "新建工单" in html


@pytest.mark.django_db
def test_college_names_in_english(english, staff):
    from tickets import actions
    from tickets.models import College

    college = College.objects.get(code="sice")
    ticket = actions.create_ticket(
        text="没收到学院群通知", channel="phone", college=college, actor=staff
    )
    english.force_login(staff)
    for url in (reverse("reports:report"), reverse("tickets:detail", args=[ticket.pk])):
        html = english.get(url).content.decode()
        assert college.name_en in html, url
        assert f">{college.name}<" not in html, url
