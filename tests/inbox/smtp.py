"""A real SMTP server (aiosmtpd) in the test process that delivers what it
receives into the Dovecot mailboxes, as the university's mail server would."""

from aiosmtpd.controller import Controller

from tests.inbox.dovecot import free_port


class Relay:
    def __init__(self, mailboxes, users):
        self.mailboxes = mailboxes
        self.users = users  # address -> Dovecot user
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope)
        for rcpt in envelope.rcpt_tos:
            user = self.users.get(rcpt.lower())
            if user:
                self.mailboxes.deliver(envelope.original_content, user=user)
        return "250 OK"


def start(mailboxes, users):
    relay = Relay(mailboxes, users)
    controller = Controller(relay, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, relay
