"""Fetch rate of `fetch_mail`: mails per second from a real Dovecot into tickets.

Starts a throwaway Dovecot (tests/inbox/dovecot.py), appends N distinct
candidate mails to the desk's INBOX (not timed), then times one fetch_mail
pass over them on a fresh SQLite database (or DATABASE_URL when given): IMAP
fetch, parsing, triage, ticket and ledger writes, flagging. Then a second pass
over the same mails after clearing their \\Seen flags, which must add nothing
(the exactly-once ledger), to time the skip path. "own CPU s" is this
process's CPU time: wall time minus it is waiting (Dovecot, disk, other work
on the machine).

    .venv/bin/python bench/mail_fetch_bench.py              # 1,000 mails
    .venv/bin/python bench/mail_fetch_bench.py --mails 200
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=1000)
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "mail_fetch_bench.sqlite3"
    if not os.environ.get("DATABASE_URL"):
        db.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    sys.path.insert(0, str(ROOT / "bench"))
    from harness import setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from imap_tools import MailBoxUnencrypted, MailMessageFlags

    from inbox.fetch import fetch_mail
    from tests.inbox import dovecot
    from tests.inbox.letters import letter
    from tickets.models import Ticket

    server = dovecot.start(users=("desk",))
    try:
        texts = [
            "IDAS激活时收不到短信验证码，考生号 1059560000{:05d}",
            "企业微信登录不了，提示账号不存在 {}",
            "统一身份认证密码忘了怎么办？第{}次尝试",
            "激活到第三步绑定手机号一直失败 {}",
        ]
        with MailBoxUnencrypted("127.0.0.1", server.imap_port).login(
            "desk", dovecot.PASSWORD
        ) as box:
            for n in range(args.mails):
                body = texts[n % len(texts)].format(n)
                box.append(letter(body=body, subject=f"激活问题 {n}"), "INBOX", flag_set=[])
        settings.IMAP = {
            "security": "imap",
            "host": "127.0.0.1",
            "port": server.imap_port,
            "user": "desk",
            "password": dovecot.PASSWORD,
            "folder": "INBOX",
        }
        before = Ticket.objects.count()
        started, cpu = time.perf_counter(), time.process_time()
        result = fetch_mail()
        first, first_cpu = time.perf_counter() - started, time.process_time() - cpu
        made = Ticket.objects.count() - before

        with MailBoxUnencrypted("127.0.0.1", server.imap_port).login(
            "desk", dovecot.PASSWORD
        ) as box:
            box.flag(box.uids(), MailMessageFlags.SEEN, False)
        started, cpu = time.perf_counter(), time.process_time()
        again = fetch_mail()
        second, second_cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        server.stop()

    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"| pass ({database}) | mails | tickets made | wall s | mails/s | own CPU s |")
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| new mail | {args.mails} | {made} | {first:.1f} | {args.mails / first:.0f} "
        f"| {first_cpu:.1f} |"
    )
    print(
        f"| same mail again (skipped) | {args.mails} | {sum(again.counts.values())} "
        f"| {second:.1f} | {args.mails / second:.0f} | {second_cpu:.1f} |"
    )
    assert made == args.mails and result.failed == 0 and not again.counts


if __name__ == "__main__":
    main()
