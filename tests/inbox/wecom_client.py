"""What the WeCom servers send to the callback: requests encrypted and signed
by the protocol's algorithm with the test app's keys."""

import time
import uuid

from inbox.wecom import crypto

TOKEN = "desk-test-token"
CORP_ID = "ww0123456789abcdef"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
AGENT_ID = "1000002"
SECRET = "test-secret"
URL = "/channels/wecom/callback/"


def configure(settings, api_base="http://127.0.0.1:9"):
    settings.WECOM_CORP_ID = CORP_ID
    settings.WECOM_TOKEN = TOKEN
    settings.WECOM_AES_KEY = AES_KEY
    settings.WECOM_AGENT_ID = AGENT_ID
    settings.WECOM_SECRET = SECRET
    settings.WECOM_API_BASE = api_base


def text_message(content, *, userid="zhangsan", msg_id=None, created=None):
    created = created or int(time.time())
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
        f"<FromUserName><![CDATA[{userid}]]></FromUserName>"
        f"<CreateTime>{created}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content>"
        f"<MsgId>{msg_id or uuid.uuid4().int % 10**19}</MsgId><AgentID>{AGENT_ID}</AgentID></xml>"
    )


def signed_post(client, inner_xml, *, timestamp=None, token=TOKEN, corp_id=CORP_ID, body=None):
    timestamp = str(timestamp if timestamp is not None else int(time.time()))
    nonce = uuid.uuid4().hex[:10]
    encrypted = crypto.encrypt(AES_KEY, corp_id, inner_xml)
    signature = crypto.signature(token, timestamp, nonce, encrypted)
    if body is None:
        body = (
            f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
            f"<Encrypt><![CDATA[{encrypted}]]></Encrypt><AgentID><![CDATA[{AGENT_ID}]]></AgentID></xml>"
        )
    query = f"?msg_signature={signature}&timestamp={timestamp}&nonce={nonce}"
    return client.post(URL + query, data=body, content_type="text/xml")


def verification_get(client, echo="1616140317555161061", *, timestamp=None, token=TOKEN):
    timestamp = str(timestamp if timestamp is not None else int(time.time()))
    nonce = "263014780"
    encrypted = crypto.encrypt(AES_KEY, CORP_ID, echo)
    signature = crypto.signature(token, timestamp, nonce, encrypted)
    return client.get(
        URL,
        {"msg_signature": signature, "timestamp": timestamp, "nonce": nonce, "echostr": encrypted},
    )
