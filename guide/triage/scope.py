"""Condition scope: a route condition counts only for what the writer asserts
now about the candidate.

`apply(folded, hits)` returns the hits with the condition tags that are not
asserted renamed "~<tag>" (rules and conditions never ask for those):
- hypothetical and fear: 怕 / 担心 / 会不会 / 万一 / 如果 / what if / afraid ...;
- resolved: 后来又好了 / 已经改过来了 / fixed / works now ...;
- negated: 没有丢 / 不是信息不符 / never lost / not wrong ...;
- questions about the rule itself: 多久算久 / 等多久才 / is it normal after ...;
- reported speech about others' cases: 听说 / 据说 / I heard (classmates being
  added is the exception: that is how it is reported).
Third person (他/她/孩子/考生/the candidate) is the candidate: nothing to do.

Durations are parsed (Chinese numerals incl. 两/十来/半, digits, English
words) and compared with thresholds: a past wait of at least waited_long_days
is 等很久 (a shorter one is not), a deadline at most deadline_near_days away is
临近, one further away is not. The caller passes both: the knowledge's
thresholds (an admin sets them, guide.models.TriageSettings); the constants
below are the defaults without Django.
"""

import calendar
import datetime
import functools
import re

WAITED_LONG_DAYS = 7.0
DEADLINE_NEAR_DAYS = 2.0

# the condition terms told durations decide by the thresholds (apply)
DURATION_TAGS = frozenset({"等很久", "临近"})
# the tags route conditions decide on, and that scope can take away
CONDITION_TAGS = frozenset(
    {
        "信息不符",
        "丢失",
        "都不可用",
        "邮箱不可用",
        "确认无误",
        "重试",
        "等很久",
        "临近",
        "已进群",
        "同伴",
    }
)

# an English full stop ends a clause too ("... since activation and no group.
# Should I unfollow to see if that helps?": the "if" is not the wait's)
_CLAUSE = re.compile(r"[,，。；;!?！？\n]|\.(?=\s)|但是|但|可是|不过|结果|\bbut\b")
_HYPOTHETICAL = re.compile(
    r"怕|担心|会不会|万一|如果|要是|假如|假设|是否会|会不会|不然|否则|"
    # not tried yet: asking ahead ("我还没试，先问下")
    r"还没试|还没开始|先问|可能要|可能会|"
    # a belief the writer found wrong ("以为要打电话，结果邮箱还能用"): 20
    # labelled messages say 以为, 19 of them guide_answer
    r"以为|"
    r"what if|afraid|worried|worry|in case|\bif\b|would it|will it|\bsuppose\b|"
    r"haven't (?:tried|started)|not (?:tried|started) yet"
)
# what the writer changed, and then it went ("改了就好了", "重新输了一遍就过了",
# "换了证件类型就可以了"): told as solved, unless asked (told_solved)
_CHANGED_THEN_FINE = (
    r"(?:改|换|填|输|选|调|重启|重装|重新)[^,，。;；?？]{0,6}?了[^,，。;；?？]{0,4}?"
    r"就(?:好了|过了|过去了|行了|可以了|正常了|通过了|收到了|能收到了|成功了|进去了|登上了|能用了)"
)
_RESOLVED = re.compile(
    r"后来又?好了|又好了|已经好了|现在好了|现在可以了|现在能|改过来了|改好了|弄好了|解决了|已解决|"
    r"已更正|更正了|找到了|fixed|resolved|sorted (?:it )?out|works now|now works|it worked|"
    r"went through|no longer|没事了|就过了|搞定了|"
    r"现在过了|(?<![没不未])通过了|(?<![没不未])已(?:经)?通过|passed now|now it passed|"
    # someone else fixed it: "服务台已经处理好、能往下走了"
    r"处理好了|已经处理好|已处理|能往下走|可以往下走|能继续了|可以继续了|" + _CHANGED_THEN_FINE
)
# a problem told as solved, for a whole sentence (engine: it is not the
# problem to answer): narrower than _RESOLVED ("弄好了" is also "done")
SOLVED = re.compile(
    r"后来又?好了|又好了|后来[^,，。;；]{0,10}(?:就)?(?:好了|过了|通过了|收到了|可以了)|"
    # found the cause, then told it done: "后来发现被手机管家拦截了，已经弄好了"
    r"后来发现[^。;；!?！？]{0,24}?(?:已经|就|终于|总算)(?:弄好了|搞定了|解决了|好了|收到了|可以了|过了|通过了)|"
    r"问题解决了|已解决|已经解决|解决了|没事了|就过了|改过来就|" + _CHANGED_THEN_FINE + "|"
    # a change told done ("号码换好了", "密码重置好了", "reset done"): the writer
    # moves on to the next problem (fresh_am..as, the model fitted without
    # each batch: both right 0.9363 -> 0.9407, no batch lower)
    r"(?:改|换|重置|修改|更改|设置|绑)好了|已经好了|"
    r"\b(?:reset|changed?|updated?) (?:is |was )?(?:done|successful(?:ly)?)\b|"
    r"\b(?:fixed|resolved|sorted (?:it )?out|works now|now works|it worked|that worked)\b|"
    # what did not come came after all, what was lost is recovered ("刚才说验证码
    # 收不到，现在收到了", "密码忘了，刚刚已经用邮箱找回了"), unless the
    # sentence goes on to what still fails ("已经收到了，但是提示错误")
    r"(?:(?:现在|已经|终于|后来)(?:也|又|都)?(?:已经)?(?:能|可以)?收到了|"
    r"(?:已经|刚刚|刚才|现在)[^,，。;；]{0,8}?(?:找回|重置)(?:了|成功|好了)|"
    r"\b(?:got|received) (?:it|them|the code|the sms|the message) "
    r"(?:now|later|in the end|eventually)\b|\bfinally (?:came|arrived|got it)\b)"
    r"(?![^。!?！？;；\n]*(?:但|可是|不过|却|就是|\bbut\b|however))"
)
# a clause that asks whether something would fix it ("是不是改了就好了?")
_ASKED = re.compile(r"是不是|是否|会不会|要不要|能不能|吗|\?")


def told_solved(pattern: re.Pattern[str], folded: str, start: int, end: int) -> bool:
    """Whether `pattern` (_RESOLVED, SOLVED) finds a resolution in
    folded[start:end] that its clause does not ask about."""
    for m in pattern.finditer(folded, start, end):
        breaks = list(_CLAUSE.finditer(folded, 0, m.start()))
        clause_start = breaks[-1].end() if breaks else 0
        after = _CLAUSE.search(folded, m.end())
        clause_end = after.end() if after else len(folded)  # with its "?"
        if not _ASKED.search(folded, clause_start, clause_end):
            return True
    return False


_ASKING_RULE = re.compile(
    r"多久算|算不算|才算|算长|算久|要等多久|要等很久|要等好久|也要等|等多久|一般多久|多久才|多长时间|"
    r"how long (?:should|do|does|will)"
)
# "is it normal" asks about a wait only when none is told as past: "激活完都快
# 二十天了,一点动静都没有,正常吗" reports a 20-day wait (refer_college both
# times the labelled data has one), "等一周正常吗" asks about the rule
_ASKING_NORMAL = re.compile(r"正常吗|正常么|is it normal|normally take")
_REPORTED = re.compile(
    r"听说|据说|听别人说|听同学说|别人说|i heard|heard that|someone said|"
    # another person's account: "室友说她等了两周", "my friend said ..."
    r"(?:同学|室友|舍友|朋友|学长|学姐|师兄|师姐|别人|有人)(?:也|都)?(?:说|讲|告诉我)|"
    r"我(?:的)?(?:同学|室友|舍友|朋友)|\bmy (?:friend|classmate|roommate)s?\b|"
    r"\b(?:friend|classmate|roommate|someone|others?)\b[^.?!;]{0,30}?\b(?:said|says|told me)\b"
)
_NEGATION = re.compile(
    r"(?:没有|没|不是|并非|并没有|未|不|never|not|no|didn't|did not|haven't|hasn't|isn't|"
    r"wasn't|weren't|hadn't|have not|has not)\s*$"
)
# ("不确定微信绑的是不是这个": no confirmation)
NEGATABLE = frozenset({"丢失", "信息不符", "已进群", "临近", "等很久", "都不可用", "确认无误"})
# a loss that is only planned ("这张卡下个月就不用了", "going to cancel it"): the
# number still works now
_PLANNED = re.compile(
    r"下个月|下月|过几天|过段时间|打算|准备|将要|快要|马上要|即将|到时候|到时|"
    r"going to|plan(?:ning)? to|next month|will (?:be|stop|expire|cancel)|\bwhen it (?:is|gets)"
)
# a loss told in the future tense: "旧号会注销", "那个号要停了", "will be cancelled"
_PLANNED_BEFORE = re.compile(r"(?:会|将|将会|就要|要|会被|将被|要被)\s*$")
# the lost number got back: "已经交钱复机了", "不过已经补办了原号码的卡" (not "没法复机",
# "补办不了"): it is usable again
_RECOVERED = re.compile(
    r"(?<!没)(?<!无法)(?<!没法)(?<!不能)(?:复机|补办了|补好了|补回来了|补了卡|补卡了|恢复了|已恢复|已经恢复)|"
    # "I paid and it's working again", "the carrier reissued it with the same number"
    r"(?<!not )(?<!n't )\b(?:working again|works again|back in service|back on|reactivated|"
    r"restored|reissued|got (?:it|the number|my number|the sim) back|same number)\b"
)
REPORTED_OK = frozenset({"已进群", "同伴"})

_NUMERALS = {
    "零": 0,
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "几": 3,
    "半": 0.5,
    "俩": 2,
    "仨": 3,
}
_ENGLISH = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": 3,
    "a few": 3,
    "few": 3,
    "couple of": 2,
    "a couple of": 2,
}
_UNIT_DAYS = {
    "天": 1,
    "日": 1,
    "day": 1,
    "days": 1,
    "周": 7,
    "星期": 7,
    "礼拜": 7,
    "week": 7,
    "weeks": 7,
    "月": 30,
    "个月": 30,
    "month": 30,
    "months": 30,
    "fortnight": 14,
    "小时": 1 / 24,
    "hour": 1 / 24,
    "hours": 1 / 24,
}
_ANY_UNIT = re.compile("|".join(map(re.escape, sorted(_UNIT_DAYS, key=len, reverse=True))))
_DURATION = re.compile(
    r"(?P<num>\d+(?:\.\d+)?|[零一两二三四五六七八九十几半俩仨]+|"
    r"a couple of|couple of|a few|several|few|an?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve)"
    r"\s*(?P<more>来|多|几)?\s*(?:个)?\s*(?P<more2>多|来)?\s*"  # 十来天, 半个来月
    r"(?P<unit>小时|天|日|周|星期|礼拜|个月|月|hours?|days?|weeks?|months?|fortnight)"
)
# an amount told without a number ("好几天", "这几天", "a few days"): the
# writer's own judgement of the wait, which the examples teach (a desk reads
# "激活好几天了" as long), where a number is the thresholds' to judge
VAGUE_AMOUNT = re.compile(r"几|few|several|couple")
# a hedge may stand between "in"/"还有" and the amount ("in about four
# weeks", "in under 2 days", "还有大概一个月"): still a date ahead, never a wait
_FUTURE_BEFORE = re.compile(
    r"(?:还有|再过|过|\bin|\bwithin|下|距离|离)\s*"
    r"(?:(?:about|around|roughly|approximately|approx\.?|nearly|almost|just|only|under|over"
    r"|less than|more than|大约|大概|差不多|约|将近|不到|只有|才)\s*)?$"
)
_AGO = re.compile(r"\s*(?:ago|前|之前|以前)")
_FUTURE_AFTER = re.compile(r"^\s*(?:后|以后|之后|左右后|later|away|from now|left|to go)")
# English tells a past wait by its tense: "i've waited more than a month"
_PAST_MARK = re.compile(
    r"等了|已经|了|ago|since|for|前|之前|以前|到现在|过去|都|"
    r"\b(?:waited|waiting|been|already|so far|till now|until now)\b|'ve\b"
)
_FAR_FUTURE = re.compile(r"下个月|下月|next month|a month away|月底|月中|下下周")


def chinese_number(text: str) -> float | None:
    """十来 -> 10, 两 -> 2, 二十 -> 20, 十五 -> 15, 半 -> 0.5; digits as they are."""
    try:
        return float(text)
    except ValueError:
        pass
    if not text or any(ch not in _NUMERALS for ch in text):
        return None
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = _NUMERALS.get(head, 1) if head else 1
        ones = _NUMERALS.get(tail[:1], 0) if tail else 0
        return float(tens * 10 + ones)
    total = 0.0
    for ch in text:
        total = total * 10 + _NUMERALS[ch] if _NUMERALS[ch] >= 1 else total + _NUMERALS[ch]
    return total


@functools.lru_cache(maxsize=64)
def durations(folded: str) -> tuple[tuple[float, int, int, str], ...]:
    """(days, start, end, 'past'|'future') of each duration in the text
    (cached: the route conditions and the n-gram model's marks both read a
    message's durations, engine.analyse)."""
    if not _ANY_UNIT.search(folded):
        return ()  # every duration names one of the units: one search of them beats _DURATION's
    out = []
    for m in _DURATION.finditer(folded):
        raw = m.group("num")
        value = _ENGLISH.get(raw) if raw in _ENGLISH else chinese_number(raw)
        if value is None:
            continue
        if raw.isascii() and raw.isalpha():
            before = folded[max(0, m.start() - 1) : m.start()]
            if before.isascii() and before.isalpha():
                continue  # the tail of an English word (not "激活six days")
        days = value * _UNIT_DAYS[m.group("unit")]
        if m.group("more") or m.group("more2"):
            days *= 1.1  # 十来天, 一个多星期: a bit more
        before, after = folded[max(0, m.start() - 20) : m.start()], folded[m.end() : m.end() + 6]
        if _FUTURE_AFTER.match(after) or (_FUTURE_BEFORE.search(before) and not _AGO.match(after)):
            kind = "future"
        else:
            kind = "past"
        out.append((days, m.start(), m.end(), kind))
    return tuple(out)


# Dates. A wait told as two dates ("3月5日已完成激活,至今(3/18)未进群", "activated
# on march 1st. it's now march 16") or against today by a relative day
# ("上周一激活的", "上周日激活的,今天周二") is a duration the writer did not
# compute: the gap decides 等很久 and 临近 like a told one. A single calendar
# date with no "now" date is no measurable wait (nothing is assumed about today).
_MONTH_NAMES = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_CN_DAY = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_DATE = re.compile(
    # 3月5日, 三月十八号, 3月5
    rf"(?P<cm>{_CN_DAY})\s*月\s*(?P<cd>{_CN_DAY})(?!\s*(?:天|个|周|多|来|小时))\s*(?:日|号)?"
    # 3/18, 3.12, 3-18, 3.2号: not a decimal, a range of days or a phone number
    r"|(?<![\d./\-])(?P<nm>\d{1,2})\s*[/.\-]\s*(?P<nd>\d{1,2})(?![\d./\-]|\s*(?:天|日|周|个|小时|%"
    r"|days?\b|weeks?\b|hours?\b|h\b))(?:\s*[号日])?"
    # 5号, 19号 (a day of the month; not 1号线, 3号楼, 下个月10号)
    r"|(?<![\d月.a-z])(?P<bd>\d{1,2})\s*[号日](?![线楼门院床位机键码馆厅内])"
    # march 1st, mar 1, 1 march, 1st of march, the 16th
    rf"|\b(?P<em>{_MONTH_WORD})\.?\s+(?P<ed>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"|\b(?P<ed2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<em2>{_MONTH_WORD})\b"
    r"|\bthe\s+(?P<eo>\d{1,2})(?:st|nd|rd|th)\b"
)
_WEEKDAYS_CN = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_WEEKDAYS_EN = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_WEEKDAY = re.compile(
    r"(?P<prev>上上|上|下下|下|这|本)?\s*(?:个)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])"
    r"|\b(?:(?P<eprev>last|this)\s+)?(?P<ewd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)
# days ago told by a word, relative to today by itself
_DAYS_AGO = re.compile(r"大前天|前天|昨天|昨日|yesterday|the day before yesterday")
_DAYS_AGO_VALUE = {"大前天": 3, "前天": 2, "昨天": 1, "昨日": 1, "yesterday": 1}
# a date told as today's: "至今(3/18)", "今天都19号了", "it's now march 16", "今天周二"
_NOW_BEFORE = re.compile(
    r"(?:至今|到今天|今天|今日|现在|目前|如今|\bnow|\btoday|it's|it is)"
    r"[\s(:,是都已经为才就快]{0,4}(?:is\s+|'s\s+)?(?:already\s+)?(?:the\s+)?$"
)
# "today is wednesday of the following week": the week after the event's
_FOLLOWING_WEEK = re.compile(r"(?:of|in) the (?:following|next) week|the week after")


def _day(text: str) -> int | None:
    value = chinese_number(text)
    return int(value) if value is not None and 1 <= value <= 31 else None


def _dates(folded: str) -> list[tuple[int | None, int, int, int]]:
    """(month or None, day, start, end) of each calendar date in the text."""
    out = []
    for m in _DATE.finditer(folded):
        if m.group("cm"):
            month, day = chinese_number(m.group("cm")), _day(m.group("cd"))
        elif m.group("nm"):
            month, day = float(m.group("nm")), _day(m.group("nd"))
        elif m.group("bd"):
            month, day = None, _day(m.group("bd"))
        elif m.group("em") or m.group("em2"):
            name = (m.group("em") or m.group("em2"))[:3]
            month, day = _MONTH_NAMES[name], _day(m.group("ed") or m.group("ed2"))
        else:
            month, day = None, _day(m.group("eo"))
        if day is None or (month is not None and not 1 <= month <= 12):
            continue
        out.append((int(month) if month is not None else None, day, m.start(), m.end()))
    return out


def _ordinal(month: int, day: int, year: int = 2025) -> int:
    day = min(day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day).toordinal()


def _gap(event: tuple, now: tuple) -> int:
    """Days from the event's date to now's (negative: the event is ahead),
    the nearest reading when a month or the year is not told."""
    (e_month, e_day), (n_month, n_day) = event, now
    if e_month is None and n_month is None:
        n_month = 6  # after a 31-day month: "28号...今天3号" is 6 days
    candidates = []
    for e_m in [e_month] if e_month else [n_month - 1 or 12, n_month, n_month % 12 + 1]:
        for n_m in [n_month] if n_month else [e_m - 1 or 12, e_m, e_m % 12 + 1]:
            for year in (2024, 2025, 2026):
                candidates.append(_ordinal(n_m, n_day) - _ordinal(e_m, e_day, year))
    return min(candidates, key=abs)


_ANY_DIGIT = re.compile(r"\d")


def _calendar_dates(folded: str) -> list[tuple[int | None, int, int, int]]:
    # a date needs 月 or a digit: one search spares most messages the date regex
    return _dates(folded) if "月" in folded or _ANY_DIGIT.search(folded) else []


# "today is the 26th": the day the dates are measured from (apply: not the
# short wait 不急 that "today" alone tells, "I activated today")
_TODAY_IS = re.compile(rf"\s*(?:is|'s)\s+(?:already\s+)?(?:the\s+)?(?:\d|{_MONTH_WORD})")
# a date told as the day by which something is to happen ("学院说3月25号之前建群",
# "3月20日前要进群确认", "the deadline was the 25th"), not when it was done
# ("3月8日前激活的", "3月10号之前就激活了"): once today is past it, it is a
# deadline passed
_DEADLINE_AFTER = re.compile(
    r"\s*(?:之前|以前|前|截止)\s*(?:会|要|必须|需要|得|应该|应当|建|拉|进|确认|联系|完成|把)"
)
_DEADLINE_BEFORE = re.compile(r"(?:deadline|due|截止(?:日期|时间)?)[^,.;!?，。；！？]{0,8}$")


def _deadline_of(folded: str, start: int, end: int) -> bool:
    return bool(
        _DEADLINE_AFTER.match(folded, end)
        or _DEADLINE_BEFORE.search(folded, max(0, start - 16), start)
    )


def date_gaps(folded: str, dates=None) -> list[tuple[float, int, int, str]]:
    """(days, start, end, 'past'|'future') of each wait or deadline told by
    dates: a date against the date told as today's, a relative day word
    (前天, 上周一) against today. Spans are the event's date. `dates`: the
    text's _calendar_dates() when the caller has them already."""
    out = []
    dates = _calendar_dates(folded) if dates is None else dates
    nows = [d for d in dates if _NOW_BEFORE.search(folded[max(0, d[2] - 14) : d[2]])]
    if nows:
        now = nows[0]
        for d in dates:
            if d in nows or (d[0] is None and now[0] is None and d[1] == now[1]):
                continue
            days = _gap(d[:2], now[:2])
            if days > 0 and _deadline_of(folded, d[2], d[3]):
                out.append((0.0, d[2], d[3], "future"))  # passed: nearer than near
            elif days:
                out.append((float(abs(days)), d[2], d[3], "past" if days > 0 else "future"))
    weekdays = []
    if "周" in folded or "星期" in folded or "礼拜" in folded or "day" in folded:
        for m in _WEEKDAY.finditer(folded):
            if m.group("wd"):
                back = {"上上": 2, "上": 1, "下": -1, "下下": -2}.get(m.group("prev") or "", 0)
                weekdays.append((back, _WEEKDAYS_CN[m.group("wd")], m.start(), m.end(), False))
            else:
                english = m.group("eprev") == "last"
                weekdays.append((0, _WEEKDAYS_EN[m.group("ewd")], m.start(), m.end(), english))
    today = next(
        (w for w in weekdays if _NOW_BEFORE.search(folded[max(0, w[2] - 14) : w[2]])), None
    )
    for w in weekdays:
        back, weekday, start, end, english_last = w
        if w is today:
            continue
        if english_last:
            # "last monday" is this week's or the one before: only a told
            # today measures it
            if today is None:
                continue
            days = (today[1] - weekday) % 7 or 7
            days += 7 if _FOLLOWING_WEEK.search(folded) else 0
        elif back < 0:
            # 下周一 is a deadline: measured only against a told today
            if today is not None:
                out.append((float(-7 * back + weekday - today[1]), start, end, "future"))
            continue
        elif back:
            # 上周一 against today: at least 7 - weekday days, exactly with a told today
            days = 7 * back + (today[1] if today else 0) - weekday
        elif today is not None and today[1] != weekday:
            days = today[1] - weekday  # 周一激活的,今天周四: 3; 周五前,今天周四: -1
            if days < 0:
                out.append((float(-days), start, end, "future"))
                continue
        else:
            continue
        out.append((float(days), start, end, "past"))
    if "天" in folded or "昨日" in folded or "yesterday" in folded:
        for m in _DAYS_AGO.finditer(folded):
            days = _DAYS_AGO_VALUE.get(m.group(), 2)
            out.append((float(days), m.start(), m.end(), "past"))
    return out


def _waits(folded: str) -> list[tuple[float, int, int, str, bool]]:
    """The durations and the gaps told by dates (True), without the day of a
    date read as a duration ("3月5日" is not five days)."""
    found = list(
        durations(folded)
    )  # which tests the units itself (礼拜, 星期, fortnight, hours too)
    dates = _calendar_dates(folded)  # parsed once, for the gaps and the spans
    gaps = date_gaps(folded, dates)
    if gaps or found:
        spans = [(d[2], d[3]) for d in dates]
        found = [w for w in found if not any(a <= w[1] < b for a, b in spans)]
    return [(*w, False) for w in found] + [(*g, True) for g in gaps]


def _clauses(folded: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _CLAUSE.finditer(folded):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(folded)))
    return spans


_SENTENCE_END = re.compile(r"[。！？!?；;]")
# a pasted chat: the desk's turns ("客服：您之前登录过吗？原号码还能用吗？") ask,
# they assert nothing about the candidate; a turn runs to the next speaker
_STAFF = re.compile(
    r"(?:客服|坐席|工作人员|服务台|信息中心|\bdesk|\bagent|\bstaff|\bsupport|\bhelpdesk)\s*[:：]"
)
_SPEAKER = re.compile(
    r"(?:客服|坐席|工作人员|服务台|信息中心|考生|学生|家长|我|\bdesk|\bagent|\bstaff|\bsupport"
    r"|\bhelpdesk|\bme|\bcandidate)\s*[:：]"
)
# the candidate's turn that opens by saying yes to the desk's check of their
# data ("服务台：是当前微信绑定的手机号吗？" "考生：对的，就是这个号") confirms it
_AFFIRMED = re.compile(r"\s*(?:对的|对|是的|是|嗯+|没错|确认|确定|yes|yeah|yep|right|correct)")
_CHECKED_DATA = frozenset({"手机号", "考生号", "身份证件", "确认无误"})


def _sentence_end(folded: str, clause_end: int) -> int:
    """Where a resolution may still be told: the end of the clause's
    sentence (at most 40 characters on, 100 in English: English says in 100
    letters what Chinese says in 40 characters), or at least 12 characters on."""
    reach = 100 if folded[clause_end : clause_end + 40].isascii() else 40
    m = _SENTENCE_END.search(folded, clause_end, clause_end + reach)
    return max(clause_end + 12, m.start() if m else clause_end + reach)


def _staff_turns(folded: str) -> list[tuple[int, int]]:
    # a turn needs its colon: two substring tests are cheaper than the search
    if (":" not in folded and "：" not in folded) or not _STAFF.search(folded):
        return []
    turns, speakers = [], list(_SPEAKER.finditer(folded))
    for i, m in enumerate(speakers):
        if _STAFF.fullmatch(m.group()):
            end = speakers[i + 1].start() if i + 1 < len(speakers) else len(folded)
            turns.append((m.start(), end))
    return turns


def _confirmed_checks(folded: str, staff, hits) -> list[tuple[str, int, int]]:
    """确认无误 where the candidate says yes to the desk's check of their
    number or data in a pasted chat: the reply, not the question, asserts it."""
    out = []
    for a, b in staff:
        if not any(a <= h[1] < b and h[0] in _CHECKED_DATA for h in hits):
            continue
        reply = _SPEAKER.match(folded, b)
        if reply is not None and not _STAFF.fullmatch(reply.group()):
            yes = _AFFIRMED.match(folded, reply.end())
            if yes is not None:
                out.append(("确认无误", yes.start(), yes.end()))
    return out


def apply(
    folded: str,
    hits: list[tuple[str, int, int]],
    waited_long_days: float = WAITED_LONG_DAYS,
    deadline_near_days: float = DEADLINE_NEAR_DAYS,
) -> list[tuple[str, int, int]]:
    found = None  # the durations, parsed once
    if not any(tag in CONDITION_TAGS for tag, _s, _e in hits):
        found = _waits(folded)
        if not found:
            return hits
    clauses = _clauses(folded)

    def clause_of(position: int) -> tuple[int, int]:
        for start, end in clauses:
            if start <= position <= end:
                return start, end
        return 0, len(folded)

    def unasserted(tag: str, start: int, end: int) -> bool:
        c_start, c_end = clause_of(start)
        clause = folded[c_start:c_end]
        return bool(
            _HYPOTHETICAL.search(clause)
            # after the term ("no longer in use" is itself a variant of 丢失),
            # to the end of its sentence: "提示不一致，后来发现填错了，改了就过了";
            # not of others already in the group ("别的考生都进群了，激活早就弄好了":
            # what is done is the writer's activation)
            or (
                tag not in REPORTED_OK
                and told_solved(_RESOLVED, folded, end, _sentence_end(folded, c_end))
            )
            or (
                tag in DURATION_TAGS
                and (
                    _ASKING_RULE.search(clause)
                    or (_ASKING_NORMAL.search(clause) and not _PAST_MARK.search(clause))
                )
            )
            or (tag not in REPORTED_OK and _REPORTED.search(folded[c_start:start]))
            # right before the term, English ones too ("haven't been added")
            or (tag in NEGATABLE and _NEGATION.search(folded[max(c_start, start - 9) : start]))
            or (
                tag == "丢失"
                and (
                    _PLANNED.search(clause)
                    or _PLANNED_BEFORE.search(folded[max(c_start, start - 3) : start])
                    or _RECOVERED.search(folded, end, _sentence_end(folded, c_end))
                )
            )
        )

    staff = _staff_turns(folded)
    out = []
    for tag, start, end in hits:
        if tag == "不急" and _TODAY_IS.match(folded, end):
            continue  # "today is the 26th": the day a date is measured from, no short wait
        if (tag in CONDITION_TAGS and unasserted(tag, start, end)) or (
            staff and any(a <= start < b for a, b in staff)
        ):
            tag = "~" + tag  # the desk's own words in a pasted chat: asked, not asserted
        out.append((tag, start, end))
    out += _confirmed_checks(folded, staff, hits)

    # durations decide 等很久 and 临近 by the thresholds, in the same scope as
    # the words: another's wait ("室友说她等了两周"), a feared or asked-about one
    # ("如果等了两周还没群") is not the writer's
    for days, start, end, kind, dated in _waits(folded) if found is None else found:
        c_start, c_end = clause_of(start)
        overlapping = [h for h in out if h[1] < end and h[2] > start]
        # a gap between dates is past by itself; a duration by its clause
        if kind == "past" and (dated or _PAST_MARK.search(folded[max(0, c_start) : c_end])):
            out = [h for h in out if h not in overlapping or h[0] != "等很久"]
            if days >= waited_long_days:
                name = "~等很久" if unasserted("等很久", start, end) else "等很久"
                out.append((name, start, end))
        elif kind == "future":
            if days <= deadline_near_days:
                out.append(("~临近" if unasserted("临近", start, end) else "临近", start, end))
            else:
                out = [h for h in out if not (h[0] == "临近" and c_start <= h[1] <= c_end)]
                out = [h for h in out if h not in overlapping or h[0] != "等很久"]
    if _FAR_FUTURE.search(folded):
        for m in _FAR_FUTURE.finditer(folded):
            c_start, c_end = clause_of(m.start())
            out = [h for h in out if not (h[0] == "临近" and c_start <= h[1] <= c_end)]
    out.sort(key=lambda h: h[1])
    return out
