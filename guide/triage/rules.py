"""The route conditions of categories.md, over the concept tags of a message.

Each condition returns the tags that decided it (shown to staff as evidence),
or None when it does not hold; the category then keeps its default route.
"""

from . import routes


def _all(tags: set[str], *needed: str):
    return list(needed) if all(t in tags for t in needed) else None


def ids_activate(tags):
    # the identity check rejected their data: not found / does not match / already used
    # (an "already activated" for someone who never activated is the last)
    return _all(tags, "信息不符") or _all(tags, "已激活", "没激活过")


def ids_password(tags):
    # neither the bound phone nor the bound email can receive a reset code
    if "邮箱可用" in tags:
        return None
    if "都不可用" in tags and ("丢失" in tags or "邮箱不可用" in tags or "手机号" in tags):
        return ["都不可用"]
    return _all(tags, "丢失", "邮箱不可用")


def sms_code(tags):
    # the number is confirmed right and it still fails after retrying
    if "确认无误" in tags and ("重试" in tags or "出错" in tags and "没收到" in tags):
        return ["确认无误", "重试" if "重试" in tags else "出错"]
    return None


def phone_change(tags):
    # logged in before and the original number is no longer usable (case 3)
    if "丢失" in tags and "从未登录" not in tags and "仍可用" not in tags:
        return ["丢失"] + (["登录过"] if "登录过" in tags else [])
    return None


def group_wait(tags):
    # waited long, classmates already added, or a deadline is near
    if "等很久" in tags:
        return ["等很久"]
    if "同伴" in tags and "已进群" in tags:
        return ["同伴", "已进群"]
    if "临近" in tags and "不急" not in tags:
        return ["临近"]
    return None


CONDITIONS = {
    "ids_activate": (ids_activate, routes.ESCALATE),
    "ids_password": (ids_password, routes.ESCALATE),
    "sms_code": (sms_code, routes.ESCALATE),
    "phone_change": (phone_change, routes.ESCALATE),
    "group_wait": (group_wait, routes.REFER_COLLEGE),
}


def route_for(category: str, default_route: str, tags: set[str]) -> tuple[str, list[str]]:
    """(route, deciding tags) for a primary category."""
    if category == "other":
        return routes.MANUAL, []
    condition = CONDITIONS.get(category)
    if condition:
        decided = condition[0](tags)
        if decided:
            return condition[1], decided
    return default_route or routes.GUIDE_ANSWER, []
