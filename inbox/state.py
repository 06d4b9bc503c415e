"""Each channel's last success, last error and backlog, kept in the database
(inbox.models.ChannelState) so every process reports the same."""

from django.utils import timezone

from inbox.models import ChannelState


def succeeded(source, *, backlog=None):
    values = {"last_success_at": timezone.now()}
    if backlog is not None:
        values["backlog"] = backlog
    ChannelState.objects.update_or_create(source=source, defaults=values)


def failed(source, error):
    ChannelState.objects.update_or_create(
        source=source,
        defaults={"last_error_at": timezone.now(), "last_error": str(error)[:2000]},
    )
