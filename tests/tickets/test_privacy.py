"""ID-card numbers never stored; phones and e-mails in the text masked for
teachers and in exports (issue 12, item 5)."""

import importlib

import pytest
from django.urls import reverse

from guide.models import LabelledExample
from imports.models import ImportRowError
from supportdesk.privacy import is_id_number, mask_contacts, mask_id_numbers
from tickets import actions
from tickets.models import EventKind, Ticket, TicketEvent

# 18 characters with a valid check digit (X), a real date and province; and the
# old 15-digit form of the same person.
ID18 = "11010519491231002X"
ID15 = "110105491231002"
CANDIDATE = "106146000000002"


def test_id_numbers_are_recognised_by_their_check_digit_and_date():
    assert is_id_number(ID18) and is_id_number(ID15)
    assert not is_id_number(ID18[:-1] + "1")  # wrong check digit
    assert not is_id_number(CANDIDATE)  # a candidate number is no province code
    assert not is_id_number("110105194913310028")  # no 13th month


def test_masking_keeps_the_last_four_and_leaves_candidate_numbers():
    text = f"身份证{ID18}，老证{ID15}，考生号{CANDIDATE}"
    assert mask_id_numbers(text) == f"身份证{'*' * 14}002X，老证{'*' * 11}1002，考生号{CANDIDATE}"


def test_contacts_in_text_are_masked_except_the_desks_own():
    text = "手机 13812345678，邮箱 zhang.san@qq.com，信息中心 iservice@uestc.edu.cn"
    masked = "手机 138****5678，邮箱 z***@qq.com，信息中心 iservice@uestc.edu.cn"
    assert mask_contacts(text) == masked


def test_the_quick_check_is_three_digits_in_a_row_or_an_at_sign():
    # Every string up to 5 characters over digits (ASCII, full-width, Arabic-Indic),
    # @ and others: the faster pattern says yes exactly when \d{3}|@ does.
    import itertools
    import re

    from supportdesk.privacy import _MAYBE_CONTACT

    plain = re.compile(r"\d{3}|@")
    for size in range(6):
        for chars in itertools.product("1２٣@a中", repeat=size):
            text = "".join(chars)
            assert bool(_MAYBE_CONTACT.search(text)) == bool(plain.search(text)), text


@pytest.mark.django_db
def test_an_id_number_typed_into_a_ticket_is_stored_masked_everywhere(
    make_ticket, desk, django_capture_on_commit_callbacks
):
    ticket = make_ticket(text=f"我的身份证号是{ID18}，企业微信激活不了")
    assert ID18 not in ticket.text and "002X" in ticket.text
    with django_capture_on_commit_callbacks(execute=True):
        actions.perform("comment", actor=desk, ticket=ticket, note=f"考生补充身份证 {ID15}")
        actions.perform("answer", actor=desk, ticket=ticket, reply_text=f"已核对 {ID18}")
        actions.perform("correct", actor=desk, ticket=ticket, category="other", route="manual")
    stored = [
        *Ticket.objects.values_list("text", "reply_text").get(pk=ticket.pk),
        *TicketEvent.objects.filter(ticket=ticket).values_list("note", flat=True),
        *[e.data.get("reply", "") for e in TicketEvent.objects.filter(kind=EventKind.ANSWERED)],
        *LabelledExample.objects.filter(ticket_id=ticket.pk).values_list("text", flat=True),
    ]
    assert LabelledExample.objects.filter(ticket_id=ticket.pk).exists()
    assert not any(ID18 in s or ID15 in s for s in stored)


@pytest.mark.django_db
def test_the_api_stores_no_id_number(client, desk):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=desk)
    response = client.post(
        "/api/tickets/",
        {"text": f"身份证{ID18}收不到验证码", "channel": "wechat"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201
    assert ID18 not in Ticket.objects.get().text


@pytest.mark.django_db
def test_imported_rows_and_their_errors_hold_no_id_number(tmp_path):
    from imports.jobs import run_job
    from imports.models import ImportJob

    path = tmp_path / "ids.csv"
    path.write_text(
        f"text,channel\n身份证{ID18}企业微信收不到验证码,QQ\n身份证{ID15},飞鸽传书{ID18}\n",
        encoding="utf-8",
    )
    job = ImportJob.objects.create(path=str(path), original_name="ids.csv")
    run_job(job.pk)
    assert Ticket.objects.count() == 1 and ID18 not in Ticket.objects.get().text
    values = list(ImportRowError.objects.values_list("value", flat=True))
    assert values and not any(ID18 in v or ID15 in v for v in values)


@pytest.mark.django_db
def test_a_teacher_sees_phones_and_emails_in_the_text_masked(
    client, make_ticket, desk, teacher_a, college_a
):
    ticket = make_ticket(
        text="收不到验证码，请回电 13812345678 或 zhang.san@qq.com", college=college_a
    )
    actions.perform("refer", actor=desk, ticket=ticket, note="学生手机 13912345678")
    url = reverse("tickets:detail", args=[ticket.pk])

    client.force_login(teacher_a)
    page = client.get(url).content.decode()
    assert "13812345678" not in page and "138****5678" in page
    assert "zhang.san@qq.com" not in page and "z***@qq.com" in page
    assert "13912345678" not in page and "139****5678" in page

    client.force_login(desk)
    page = client.get(url).content.decode()
    assert "13812345678" in page and "zhang.san@qq.com" in page


@pytest.mark.django_db
def test_the_api_masks_contacts_in_the_text_for_teachers(client, make_ticket, teacher_a, college_a):
    make_ticket(text="请回电 13812345678", college=college_a)
    client.force_login(teacher_a)
    rows = client.get("/api/tickets/", {"status": ""}).json()["results"]
    assert [row["text"] for row in rows] == ["请回电 138****5678"]


@pytest.mark.django_db
def test_exports_mask_contacts_in_the_text(client, make_ticket, desk):
    make_ticket(text="请回电 13812345678，邮箱 zhang.san@qq.com")
    client.force_login(desk)
    response = client.get(reverse("tickets:list"), {"export": "csv", "status": ""})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "138****5678" in body and "13812345678" not in body
    assert "z***@qq.com" in body


@pytest.mark.django_db
def test_the_data_migration_masks_what_was_stored_before(make_ticket, desk):
    from django.apps import apps

    ticket = make_ticket(text="企业微信收不到验证码")
    Ticket.objects.filter(pk=ticket.pk).update(text=f"旧记录 {ID18}", reply_text=f"回复 {ID15}")
    TicketEvent.objects.filter(ticket=ticket).update(note=f"备注 {ID18}")
    LabelledExample.objects.create(text=f"例句 {ID18}", category="other", route="manual")

    migration = importlib.import_module("tickets.migrations.0011_mask_id_numbers")
    migration.mask_stored(apps, None)

    ticket.refresh_from_db()
    assert ticket.text == f"旧记录 {'*' * 14}002X" and ticket.reply_text == f"回复 {'*' * 11}1002"
    assert not TicketEvent.objects.filter(note__contains=ID18).exists()
    assert not LabelledExample.objects.filter(text__contains=ID18).exists()


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("8613812345678", "138****5678"),
        ("123456", "******"),
        ("", ""),
    ],
)
def test_phones_keep_their_first_three_and_last_four_digits(phone, masked):
    from supportdesk.privacy import mask_phone

    assert mask_phone(phone) == masked
