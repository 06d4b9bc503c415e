"""The knowledge files' validator (guide.triage.files, plain English and no
Django there) as the admin's forms say it: the same check, in the UI's language."""

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guide.triage import files

# files' reasons, by how they start
_RULE_REASONS = [
    ("unknown tag", _("未知标签（词典 lexicon.toml 中没有这个词）")),
    ("the weight is not a number", _("权重不是数字")),
    ("the weight must be in", format_lazy(_("权重须大于 0 且不超过 {max}"), max=files.MAX_WEIGHT)),
    ("an empty term", _("有空的词（多余的“+”或“!”）")),
    ("a rule needs at least one term", _("规则至少要有一个必须出现的词（不带 !）")),
]


def knowledge_error(error: files.KnowledgeError) -> ValidationError:
    """The same error as start-up's, for a form: its line, reason and term."""
    reason = next((text for start, text in _RULE_REASONS if error.reason.startswith(start)), None)
    return ValidationError(
        _("第 %(line)s 行：%(reason)s：“%(term)s”"),
        code="bad_rule",
        params={"line": error.line, "reason": reason or error.reason, "term": error.term},
    )
