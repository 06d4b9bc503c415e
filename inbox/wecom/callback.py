"""Reading a WeCom callback request: signature, freshness, decryption, XML.

Raises Rejected with the HTTP status to answer; nothing is stored before the
request has passed every check.
"""

import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.conf import settings

from inbox.wecom import crypto

# A signed request older (or newer) than this is a replay.
MAX_AGE_SECONDS = 300
MAX_BODY_BYTES = 64 * 1024


class Rejected(Exception):
    def __init__(self, status: int, reason: str):
        self.status = status
        super().__init__(reason)


@dataclass
class WeComMessage:
    msg_id: str
    userid: str
    msg_type: str
    content: str
    created: int


def configured() -> bool:
    return all((settings.WECOM_CORP_ID, settings.WECOM_TOKEN, settings.WECOM_AES_KEY))


def _checked(params, encrypted) -> str:
    signature, timestamp, nonce = (
        params.get(key, "") for key in ("msg_signature", "timestamp", "nonce")
    )
    if not (signature and timestamp.isdigit() and nonce and encrypted):
        raise Rejected(400, "missing msg_signature, timestamp, nonce or ciphertext")
    try:
        crypto.check_signature(settings.WECOM_TOKEN, timestamp, nonce, encrypted, signature)
    except crypto.CryptoError:
        raise Rejected(403, "bad signature") from None
    if abs(time.time() - int(timestamp)) > MAX_AGE_SECONDS:
        raise Rejected(403, "timestamp older than 5 minutes (replay)")
    try:
        return crypto.decrypt(settings.WECOM_AES_KEY, settings.WECOM_CORP_ID, encrypted)
    except crypto.CryptoError as exc:
        status = 403 if "CorpID" in str(exc) else 400
        raise Rejected(status, str(exc)) from None


def verify_url(params) -> str:
    """The URL verification GET: the decrypted echostr to answer with."""
    return _checked(params, params.get("echostr", ""))


def _xml(text: str) -> ET.Element:
    # No DTDs: a callback never has one, and entities are how XML bombs work.
    if "<!" in text.replace("<![CDATA[", ""):
        raise Rejected(400, "XML with a DTD or entity")
    try:
        return ET.fromstring(text)
    except ET.ParseError:
        raise Rejected(400, "malformed XML") from None


def _number(text) -> int:
    text = (text or "").strip()
    return int(text) if text.isdigit() else 0


def read_message(params, body: bytes) -> WeComMessage:
    if len(body) > MAX_BODY_BYTES:
        raise Rejected(400, "body too large")
    outer = _xml(body.decode("utf-8", errors="replace"))
    inner = _xml(_checked(params, (outer.findtext("Encrypt") or "").strip()))
    message = WeComMessage(
        msg_id=(inner.findtext("MsgId") or "").strip(),
        userid=(inner.findtext("FromUserName") or "").strip(),
        msg_type=(inner.findtext("MsgType") or "").strip(),
        content=(inner.findtext("Content") or "").strip(),
        created=_number(inner.findtext("CreateTime")),
    )
    if not message.userid or not message.msg_type:
        raise Rejected(400, "message without FromUserName or MsgType")
    return message
