"""Issue 12's measurements, after the fix, in one reproducible run.

    .venv/bin/python bench/hardening.py                    # everything (~10 min)
    .venv/bin/python bench/hardening.py --only files,nul,deploy
    .venv/bin/python bench/hardening.py --escalations 25 --max-examples 25

Sections (each prints a Markdown table):

- fuzz: schemathesis against a live gunicorn (scripts/api_fuzz.py: fixed
  seed, N examples per operation): requests sent, failed checks.
- outage: production's shape on PostgreSQL with a private redis-server
  (scripts/production_shape.py): N escalations with Redis (and then the mail
  server) down -- the slowest answer, mails delivered before and after the
  recovery, lost, doubled.
- files: the hostile uploads through `manage.py import_tickets` in a child
  process over a fresh SQLite database: a 2,000,000-empty-row XLSX, an XLSX
  holding one 400 MB shared string, a CSV header of 1,000,000 columns -- file
  size, wall time, the child's peak RSS, the job's verdict, stored rows and
  row errors.
- nul: a 1,000-row CSV with a NUL byte in row 700: the dry run's verdict,
  then the real run's rows imported and rejected.
- deploy: `manage.py check --deploy` with only SECRET_KEY and ALLOWED_HOSTS set.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from livestack import PYTHON, Stack  # noqa: E402

SECTIONS = ["fuzz", "outage", "files", "nul", "deploy"]

JOB_FIGURES = """
import json
from imports.models import ImportJob, ImportRowError
from tickets.models import Ticket
job = ImportJob.objects.order_by("-id").first()
print(json.dumps({
    "status": job.status if job else None,
    "failure": (job.failure or "")[:160] if job else "",
    "tickets": Ticket.objects.count(),
    "row_errors_stored": ImportRowError.objects.count(),
    "error_count": job.error_count if job else 0,
    "created": job.created_count if job else 0,
}, ensure_ascii=False))
"""


def timed_child(argv, env) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and output of a child process (os.wait4)."""
    started = time.monotonic()
    child = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = child.stdout.read() if child.stdout else ""
    _pid, _status, usage = os.wait4(child.pid, 0)
    return time.monotonic() - started, usage.ru_maxrss / 1024, output


def fuzz(args) -> None:
    import api_fuzz

    counts = api_fuzz.run(args.max_examples, args.seed)
    print("\n## schemathesis against the live API\n")
    print("| examples/operation | seed | requests | failed checks |\n|---|---|---|---|")
    print(f"| {args.max_examples} | {args.seed} | {counts['requests']} | {counts['failures']} |")


def outage(args) -> None:
    import production_shape

    f = production_shape.run(args.escalations)
    print(f"\n## Redis outage: {args.escalations} escalations over HTTP (make serve, PostgreSQL)\n")
    print(
        "| max latency | median | /healthz during | mailed before recovery | after recovery "
        "| all mailed within | lost | doubled |\n|---|---|---|---|---|---|---|---|"
    )
    print(
        f"| {f['max_latency_s']} s | {f['median_latency_s']} s | {f['healthz_during_outage']} "
        f"| {f['mailed_before_recovery']} | {f['mailed_after_recovery']} "
        f"| {f['all_mailed_within_s']} s | {f['lost']} | {f['doubled']} |"
    )


def _import(stack, path, *extra) -> dict:
    seconds, rss, output = timed_child(
        [PYTHON, "manage.py", "import_tickets", str(path), "--workers", "0", *extra], stack.env
    )
    figures = json.loads(stack.manage("shell", "-c", JOB_FIGURES).strip().splitlines()[-1])
    return {"seconds": seconds, "rss_mb": rss, "output": output, **figures}


MAKE_FILES = """
import csv, sys
from pathlib import Path
from tests.imports.hostile import wide_header_row, write_xlsx
out = Path(sys.argv[1])
header = ["text", "channel"]
rows = [[f"企业微信收不到验证码 第{i}条", "QQ"] for i in range(2)]
write_xlsx(out / "empty-rows.xlsx", [header, *rows], empty_rows=2_000_000)
write_xlsx(out / "big-string.xlsx", [header, *rows], shared_strings=["A" * 400_000_000])
with open(out / "wide.csv", "w", newline="", encoding="utf-8") as f:
    writer = csv.writer(f)
    writer.writerow(wide_header_row(1_000_000))
    writer.writerow(["企业微信收不到验证码", "QQ"])
"""


def files(args) -> None:
    print("\n## hostile files (manage.py import_tickets, fresh SQLite)\n")
    print(
        "| file | size | time | peak RSS | verdict | tickets | row errors stored |\n"
        "|---|---|---|---|---|---|---|"
    )
    with Stack() as stack:
        stack.manage("migrate", "--noinput")
        # Written by a child: the 400 MB string must not count in this process's
        # memory, which the import children would inherit in ru_maxrss.
        subprocess.run([PYTHON, "-c", MAKE_FILES, str(stack.dir)], cwd=ROOT, check=True)
        cases = [
            ("XLSX, 2,000,000 empty rows", stack.dir / "empty-rows.xlsx"),
            ("XLSX, one 400 MB shared string", stack.dir / "big-string.xlsx"),
            ("CSV, header of 1,000,000 columns", stack.dir / "wide.csv"),
        ]
        for name, path in cases:
            r = _import(stack, path)
            verdict = r["status"] + (f": {r['failure']}" if r["failure"] else "")
            print(
                f"| {name} | {path.stat().st_size / 1024:,.0f} KB | {r['seconds']:.1f} s "
                f"| {r['rss_mb']:.0f} MB | {verdict} | {r['tickets']} | {r['row_errors_stored']} |"
            )


def nul(args) -> None:
    with Stack() as stack:
        stack.manage("migrate", "--noinput")
        stack.manage("load_guide")
        path = stack.dir / "nul.csv"
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["text", "channel"])
            for i in range(1, 1001):
                text = f"企业微信收不到验证码 第{i}条"
                if i == 700:
                    text = "企业微信\x00收不到验证码 第700条"
                writer.writerow([text, "QQ"])
        _s, _r, dry = timed_child(
            [PYTHON, "manage.py", "import_tickets", str(path), "--dry-run"], stack.env
        )
        r = _import(stack, path)
    verdict = next((line for line in dry.splitlines() if line.startswith("dry run")), dry[-200:])
    print("\n## a NUL byte in row 700 of 1,000\n")
    print("| dry run | real run | imported | rejected |\n|---|---|---|---|")
    print(f"| {verdict} | {r['status']} | {r['created']} | {r['error_count']} |")


def deploy(args) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/root"),
        "SECRET_KEY": os.urandom(32).hex(),
        "ALLOWED_HOSTS": "desk.example.uestc.edu.cn",
        "SUPPORTDESK_ENV_FILE": "",  # not the checkout's .env
    }
    result = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    lines = [line for line in (result.stdout + result.stderr).splitlines() if "axes" not in line]
    print("\n## manage.py check --deploy (only SECRET_KEY and ALLOWED_HOSTS set)\n")
    print(f"exit code {result.returncode}:\n\n```\n" + "\n".join(lines).strip() + "\n```")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--escalations", type=int, default=25)
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()
    for name in args.only.split(","):
        globals()[name](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
