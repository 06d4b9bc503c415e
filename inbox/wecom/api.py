"""The WeCom message API (WECOM_API_BASE): send a text to a member.

The access token lives in the shared cache (Redis in production), so every
process uses one token; it is fetched again when it expires or WeCom says it
is no longer valid.
"""

import json
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.cache import cache

# errcodes meaning "get a new access token": invalid, expired, invalid credential.
TOKEN_ERRORS = {40001, 40014, 42001}
# Refresh this long before WeCom's own expiry, so no request carries a dying token.
EXPIRY_MARGIN = 300
TIMEOUT = 10


class WeComError(Exception):
    pass


def _token_key() -> str:
    return f"inbox:wecom-token:{settings.WECOM_CORP_ID}:{settings.WECOM_AGENT_ID}"


def _call(path, *, query, body=None) -> dict:
    url = f"{settings.WECOM_API_BASE}{path}?{urllib.parse.urlencode(query)}"
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 -- https base from settings
        return json.loads(response.read().decode())


def access_token(*, fresh=False) -> str:
    token = None if fresh else cache.get(_token_key())
    if token:
        return token
    answer = _call(
        "/cgi-bin/gettoken",
        query={"corpid": settings.WECOM_CORP_ID, "corpsecret": settings.WECOM_SECRET},
    )
    if answer.get("errcode", 0) != 0 or not answer.get("access_token"):
        raise WeComError(f"gettoken: {answer.get('errcode')} {answer.get('errmsg', '')}")
    expires = max(int(answer.get("expires_in", 7200)) - EXPIRY_MARGIN, 60)
    cache.set(_token_key(), answer["access_token"], timeout=expires)
    return answer["access_token"]


def send_text(userid: str, content: str) -> dict:
    body = {
        "touser": userid,
        "msgtype": "text",
        "agentid": int(settings.WECOM_AGENT_ID),
        "text": {"content": content},
    }
    for attempt in range(2):
        answer = _call(
            "/cgi-bin/message/send",
            query={"access_token": access_token(fresh=attempt > 0)},
            body=body,
        )
        code = answer.get("errcode", 0)
        if code == 0:
            return answer
        if code not in TOKEN_ERRORS:
            break
    raise WeComError(f"message/send: {code} {answer.get('errmsg', '')}")
