"""What the desk reads of a mail: the new words, not the quote or signature;
text of HTML mail; attachments listed; mail no person wrote recognised."""

import pytest

from inbox.mailparse import candidate_number, parse
from inbox.quotes import cut_quotes
from tests.inbox.letters import letter


@pytest.mark.parametrize(
    "reply",
    [
        "还是收不到验证码\n\n在 2026年3月1日 10:00，服务台 <desk@desk.test> 写道：\n> 您好，请重试",
        "还是收不到验证码\n\n------------ 原始邮件 ------------\n发件人: 服务台\n您好",
        "还是收不到验证码\n\nOn Mon, 1 Mar 2026 at 10:00, Desk <desk@desk.test> wrote:\n> Hi",
        "还是收不到验证码\n-- \n张三\n电子科技大学 2026级",
        "还是收不到验证码\n\n发自我的iPhone",
        "还是收不到验证码\n\n发件人: 服务台\n发送时间: 2026年3月1日 10:00\n主题: 答复",
        "还是收不到验证码\n\n> 您好，请重试\n> 服务台",
    ],
)
def test_quoted_earlier_mail_and_signature_are_cut(reply):
    assert cut_quotes(reply) == "还是收不到验证码"


def test_a_bare_forward_keeps_its_text():
    forward = "---------- Forwarded message ---------\nFrom: 李四\n激活失败"
    assert "激活失败" in cut_quotes(forward)


def test_html_only_mail_reads_as_text_without_markup():
    mail = parse(
        letter(body=None, html="<html><body><p>激活<b>失败</b></p><br>请帮忙</body></html>")
    )
    assert "激活失败" in mail.body and "请帮忙" in mail.body
    assert "<" not in mail.body


def test_sender_candidate_number_and_thread_ids():
    mail = parse(letter(in_reply_to="<reply-1@desk.test>"))
    assert mail.sender == "zhangsan@example.com"
    assert candidate_number(mail.body) == "105956000001234"
    assert mail.thread_ids == ["<reply-1@desk.test>"]


def test_gb2312_label_with_gbk_characters_still_reads():
    raw = (
        b"From: a@example.com\r\nSubject: x\r\nMessage-ID: <gbk@example.com>\r\n"
        b"Content-Type: text/plain; charset=gb2312\r\n\r\n"
    ) + "镕基的账号激活".encode("gb18030")
    mail = parse(raw)
    assert mail.body == "镕基的账号激活"
    assert mail.problems == []


def test_unknown_charset_is_read_as_utf8_with_a_note():
    raw = (
        b"From: a@example.com\r\nSubject: x\r\nMessage-ID: <cs@example.com>\r\n"
        b"Content-Type: text/plain; charset=x-nonsense-42\r\n\r\n"
    ) + "激活失败".encode()
    mail = parse(raw)
    assert mail.body == "激活失败"
    assert any("x-nonsense-42" in p for p in mail.problems)


def test_undecodable_bytes_leave_a_note_not_an_error():
    raw = (
        b"From: a@example.com\r\nSubject: x\r\nMessage-ID: <bad@example.com>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n\xff\xfe\xfa ok"
    )
    mail = parse(raw)
    assert "ok" in mail.body
    assert mail.problems


def test_mail_without_message_id_gets_a_stable_one():
    raw = b"From: a@example.com\r\nSubject: x\r\n\r\nhello"
    assert parse(raw).message_id == parse(raw).message_id
    assert parse(raw).message_id != parse(raw + b"!").message_id


def test_attachments_are_listed_with_their_bytes():
    mail = parse(letter(attachments=[("截图.png", "image/png", b"\x89PNG fake")]))
    assert [(a.filename, a.content_type, a.payload) for a in mail.attachments] == [
        ("截图.png", "image/png", b"\x89PNG fake")
    ]


@pytest.mark.parametrize(
    "headers,sender,subject",
    [
        ({"Auto-Submitted": "auto-replied"}, "a@example.com", "Re: x"),
        ({"Precedence": "bulk"}, "a@example.com", "x"),
        ({"X-Autoreply": "yes"}, "a@example.com", "x"),
        ({}, "MAILER-DAEMON@mx.example.com", "Undelivered Mail Returned to Sender"),
        ({}, "a@qq.com", "自动回复: IDAS激活问题"),
    ],
)
def test_mail_no_person_wrote_is_recognised(headers, sender, subject):
    assert parse(letter(headers=headers, sender=sender, subject=subject)).automatic


def test_a_person_s_mail_is_not_automatic():
    assert parse(letter(headers={"Auto-Submitted": "no"})).automatic == ""
