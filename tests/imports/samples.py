"""Rows the import tests share: three good messages, as a desk would paste them."""

from zoneinfo import ZoneInfo

from imports.models import ImportRowError

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROWS = [
    [
        "企业微信收不到验证码，第三步该填哪个手机号",
        "QQ",
        "106147000000001",
        "sice",
        "13812345678",
        "2026-03-20 14:05",
    ],
    [
        "统一身份认证忘记密码了怎么办",
        "企业微信",
        "106147000000002",
        "计算机科学与工程学院（网络空间安全学院）",
        "cand@example.com",
        "2026/3/21 9:00",
    ],
    ["鸿蒙手机关注不了电子科技大学企业号", "邮件", "", "", "", ""],
]
# What the desk sees suggested for each of ROWS: (category, route).
TRIAGED = {
    "企业微信收不到验证码，第三步该填哪个手机号": ("sms_code", "guide_answer"),
    "统一身份认证忘记密码了怎么办": ("ids_password", "guide_answer"),
    "鸿蒙手机关注不了电子科技大学企业号": ("harmonyos", "guide_answer"),
}

# Rows 2 and 5 good; row 3 has no text, row 4 an unknown college.
MIXED_ROWS = [
    ["企业微信收不到验证码", "QQ", "106147000000001", "sice", "13812345678", "2026-03-20 14:05"],
    ["", "QQ", "", "", "", ""],
    ["统一身份认证忘记密码了", "微信", "", "火星学院", "", ""],
    ["鸿蒙手机关注不了企业号", "邮件", "", "", "", "2026-03-21"],
]


def errors_by_row(job):
    return {(e.row_number, e.column): e.reason for e in ImportRowError.objects.filter(job=job)}
