import pytest
from imap_tools import MailBoxUnencrypted

from tests.inbox import dovecot as dovecot_server
from tests.services import unavailable


@pytest.fixture(scope="session")
def dovecot_instance():
    reason = dovecot_server.available()
    if reason:
        unavailable("Dovecot IMAP server", reason)
    try:
        server = dovecot_server.start()
    except Exception as exc:  # any start failure is the same here: no server
        unavailable("Dovecot IMAP server", str(exc))
    yield server
    server.stop()


class Mailboxes:
    """The test's view of the server: put mail in, look at what is there."""

    def __init__(self, server):
        self.server = server

    def box(self, user="desk"):
        return MailBoxUnencrypted("127.0.0.1", self.server.imap_port).login(
            user, dovecot_server.PASSWORD
        )

    def deliver(self, raw: bytes, user="desk"):
        with self.box(user) as box:
            box.append(raw, "INBOX", flag_set=[])

    def messages(self, user="desk"):
        with self.box(user) as box:
            return list(box.fetch(mark_seen=False))

    def empty(self, user):
        with self.box(user) as box:
            uids = box.uids()
            if uids:
                box.delete(uids)


@pytest.fixture
def mailboxes(dovecot_instance, settings):
    boxes = Mailboxes(dovecot_instance)
    for user in ("desk", "candidate"):
        boxes.empty(user)
    settings.IMAP = _config(dovecot_instance, "imap")
    settings.MAIL_REPLY_FROM = "desk@desk.test"
    return boxes


def _config(server, security):
    from supportdesk.env import IMAP_SCHEMES

    port = server.imaps_port if security == "imaps" else server.imap_port
    assert security in IMAP_SCHEMES
    return {
        "security": security,
        "host": "127.0.0.1",
        "port": port,
        "user": "desk",
        "password": dovecot_server.PASSWORD,
        "folder": "INBOX",
    }


@pytest.fixture
def mail_relay(mailboxes, settings):
    """aiosmtpd delivering into Dovecot: desk@desk.test and zhangsan@example.com."""
    from tests.inbox import smtp

    controller, relay = smtp.start(
        mailboxes, {"desk@desk.test": "desk", "zhangsan@example.com": "candidate"}
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_TIMEOUT = 5
    yield controller
    controller.stop()
