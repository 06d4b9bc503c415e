"""Read new mail from the desk's mailbox (IMAP_URL) into tickets.

Each unseen mail is recorded (inbox.intake, one transaction) and only then
flagged \\Seen; a fetch killed in between meets the mail again next time and
the ledger skips it. A mail that fails unexpectedly stays unseen for the next
fetch and never stops this one.
"""

import logging
import ssl
from dataclasses import dataclass, field

from django.conf import settings
from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessageFlags

from inbox import mailparse, state
from inbox.intake import receive_mail
from inbox.models import Outcome, Source

log = logging.getLogger(__name__)

# Mails fetched per IMAP command: fewer round trips, bounded memory.
BULK = 20


class NotConfigured(Exception):
    """IMAP_URL is unset: the mail channel is off."""


@dataclass
class FetchResult:
    counts: dict = field(default_factory=dict)  # outcome -> number of mails
    seen_before: int = 0
    failed: int = 0
    left: int = 0  # unseen mails beyond this run's limit

    def add(self, outcome):
        self.counts[outcome] = self.counts.get(outcome, 0) + 1


def connect(config):
    context = ssl.create_default_context(cafile=settings.IMAP_CA_FILE or None)
    host, port, timeout = config["host"], config["port"], settings.IMAP_TIMEOUT
    if config["security"] == "imaps":
        box = MailBox(host, port, timeout=timeout, ssl_context=context)
    elif config["security"] == "imap+starttls":
        box = MailBoxStartTls(host, port, timeout=timeout, ssl_context=context)
    else:
        box = MailBoxUnencrypted(host, port, timeout=timeout)
    return box.login(config["user"], config["password"], initial_folder=config["folder"])


def fetch_mail(limit=None) -> FetchResult:
    """One pass over the unseen mail. Raises NotConfigured, or the connection's
    error after noting it on the channel's status."""
    config = settings.IMAP
    if not config:
        raise NotConfigured
    result = FetchResult()
    try:
        with connect(config) as box:
            uids = box.uids(AND(seen=False))
            todo = uids[:limit] if limit else uids
            result.left = len(uids) - len(todo)
            for start in range(0, len(todo), BULK):
                chunk = todo[start : start + BULK]
                done = [uid for uid in _receive(box, chunk, result) if uid]
                if done:
                    box.flag(done, MailMessageFlags.SEEN, True)
    except Exception as exc:
        state.failed(Source.EMAIL, exc)
        raise
    state.succeeded(Source.EMAIL, backlog=result.left + result.failed)
    if result.failed:
        state.failed(Source.EMAIL, f"{result.failed} mail(s) could not be read; retried next fetch")
    return result


def _receive(box, uids, result):
    """Record each mail; yields the uid of each one that is safely recorded."""
    for message in box.fetch(uid_list=uids, mark_seen=False, bulk=True):
        try:
            record = receive_mail(mailparse.parse(message))
        except Exception:
            log.exception("mail uid %s could not be recorded", message.uid)
            result.failed += 1
            continue
        if record is None:
            result.seen_before += 1
        else:
            result.add(Outcome(record.outcome).value)
        yield message.uid
