"""Each channel's health for the status page and /healthz: configured or
off, last success, last error, backlog."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from inbox.models import ChannelState, Source
from inbox.wecom import callback

NAMES = {Source.EMAIL: _("邮箱收件"), Source.WECOM: _("企业微信应用")}


def configured(source) -> bool:
    if source == Source.EMAIL:
        return bool(settings.IMAP)
    return callback.configured()


def may_see(user) -> bool:
    """Desk admins: the people who set the channels up."""
    return user.is_authenticated and (user.is_superuser or user.is_staff)


def channels() -> list[dict]:
    states = {s.source: s for s in ChannelState.objects.all()}
    result = []
    for source in Source:
        row = states.get(source.value) or ChannelState(source=source.value)
        failing = row.last_error_at is not None and (
            row.last_success_at is None or row.last_error_at > row.last_success_at
        )
        result.append(
            {
                "source": source.value,
                "name": NAMES[source],
                "configured": configured(source),
                "ok": not configured(source) or not failing,
                "last_success_at": row.last_success_at,
                "last_error_at": row.last_error_at,
                "last_error": row.last_error,
                "backlog": row.backlog + pending_replies(source),
            }
        )
    return result


def pending_replies(source) -> int:
    """Answers to this channel still waiting in the outbox."""
    from inbox.replies import MAIL_REPLY, WECOM_REPLY
    from outbox.models import OutboxMessage

    kind = MAIL_REPLY if source == Source.EMAIL else WECOM_REPLY
    return OutboxMessage.objects.filter(kind=kind, delivered_at__isnull=True).count()


def health() -> dict:
    """The channels' part of /healthz: ok unless a configured channel's last
    attempt failed."""
    rows = channels()
    return {
        "ok": all(c["ok"] for c in rows),
        **{
            c["source"]: {
                "ok": c["ok"],
                "configured": c["configured"],
                "last_success_at": _iso(c["last_success_at"]),
                "last_error": "" if c["ok"] else c["last_error"][:300],
                "backlog": c["backlog"],
            }
            for c in rows
        },
    }


def _iso(moment):
    return moment.isoformat() if moment else None
