"""The WeCom callback cryptography against the protocol's published example
(the WXBizMsgCrypt sample: token QDG6eK, CorpID wx5823bf96d3bd56c7)."""

import pytest

from inbox.wecom import crypto

TOKEN = "QDG6eK"
CORP_ID = "wx5823bf96d3bd56c7"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"

# URL verification (GET)
VERIFY_SIGNATURE = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
VERIFY_TIMESTAMP = "1409659589"
VERIFY_NONCE = "263014780"
VERIFY_ECHOSTR = (
    "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
)

# A received message (POST)
MESSAGE_SIGNATURE = "477715d11cdb4164915debcba66cb864d751f3e6"
MESSAGE_TIMESTAMP = "1409659813"
MESSAGE_NONCE = "1372623149"
MESSAGE_ENCRYPTED = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3Qczc"
    "dCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4X"
    "gpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+Kq"
    "CKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS"
    "9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZ"
    "ZIs2pDBS8R07+qN+E7Q=="
)


def test_url_verification_example():
    crypto.check_signature(TOKEN, VERIFY_TIMESTAMP, VERIFY_NONCE, VERIFY_ECHOSTR, VERIFY_SIGNATURE)
    assert crypto.decrypt(AES_KEY, CORP_ID, VERIFY_ECHOSTR) == "1616140317555161061"


def test_received_message_example():
    crypto.check_signature(
        TOKEN, MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPTED, MESSAGE_SIGNATURE
    )
    xml = crypto.decrypt(AES_KEY, CORP_ID, MESSAGE_ENCRYPTED)
    assert "<FromUserName><![CDATA[mycreate]]></FromUserName>" in xml
    assert "<Content><![CDATA[hello]]></Content>" in xml


def test_encrypt_then_decrypt_round_trips_chinese_text():
    encrypted = crypto.encrypt(AES_KEY, CORP_ID, "<xml>激活失败</xml>")
    assert crypto.decrypt(AES_KEY, CORP_ID, encrypted) == "<xml>激活失败</xml>"


def test_a_changed_signature_is_refused():
    with pytest.raises(crypto.CryptoError):
        crypto.check_signature(TOKEN, VERIFY_TIMESTAMP, VERIFY_NONCE, VERIFY_ECHOSTR, "0" * 40)


def test_a_message_for_another_corp_is_refused():
    with pytest.raises(crypto.CryptoError, match="CorpID"):
        crypto.decrypt(AES_KEY, "ww-another-corp", MESSAGE_ENCRYPTED)


@pytest.mark.parametrize("garbage", ["not base64!!", "AAAA", MESSAGE_ENCRYPTED[:-8] + "AAAAAAA="])
def test_garbage_ciphertext_is_refused(garbage):
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(AES_KEY, CORP_ID, garbage)
