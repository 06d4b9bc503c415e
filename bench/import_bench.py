"""Time a bulk import and its peak memory on SQLite and PostgreSQL.

Target: 100,000 rows imported and triaged in < 60 s, peak memory < 300 MB.

    .venv/bin/python bench/import_bench.py          # 100,000 rows, SQLite and PostgreSQL
    .venv/bin/python bench/import_bench.py --rows 20000 --db sqlite
    .venv/bin/python bench/import_bench.py --format xlsx
    .venv/bin/python bench/import_bench.py --db postgres --keep \
        --pg-url postgres://postgres@127.0.0.1:5432/imports_1m

Each run: write the file (bench/make_import_file.py), make a fresh database
(a new SQLite file, or DROP/CREATE of the PostgreSQL database) and migrate it,
then time `manage.py import_tickets FILE` in a child process: wall time, the
child's own CPU time and peak RSS (os.wait4). CPU time shows what the import
costs when other work shares the machine (wall time then includes waiting).
Then the same file again, to time a re-import that must add nothing. --keep
imports into an existing database (e.g. the 1M-ticket one) instead of a fresh
one. Prints a Markdown table.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
PY = str(ROOT / ".venv" / "bin" / "python")
OUT = ROOT / "bench" / "out"
TARGET_SECONDS, TARGET_MB = 60, 300


def env_for(url):
    env = dict(os.environ, DATABASE_URL=url, DEBUG="0", SECRET_KEY="bench-only-key")
    env.pop("REDIS_URL", None)
    return env


def fresh_database(kind, pg_url, keep):
    if kind == "sqlite":
        path = OUT / "import_bench.sqlite3"
        if not keep:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        url = pg_url
        if not keep:
            name = url.rsplit("/", 1)[1]
            admin = url.rsplit("/", 1)[0] + "/postgres"
            for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
                subprocess.run(["psql", admin, "-q", "-c", sql], check=True, capture_output=True)
    subprocess.run(
        [PY, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=env_for(url),
        check=True,
        capture_output=True,
    )
    return url


def timed_import(url, path):
    start = time.perf_counter()
    command = [PY, "manage.py", "import_tickets", str(path), "--skip-checks"]
    child = subprocess.Popen(
        command, cwd=ROOT, env=env_for(url), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    out = child.stdout.read().decode()
    if status != 0:
        raise SystemExit(f"import failed:\n{out}\n{child.stderr.read().decode()}")
    summary = next(line for line in out.splitlines() if line.startswith("rows read"))
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, summary  # ru_maxrss is KiB on Linux


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/imports_bench")
    parser.add_argument("--keep", action="store_true", help="import into the existing database")
    args = parser.parse_args(argv)

    from make_import_file import write

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"import_{args.rows}.{args.format}"
    if not path.exists():
        write(args.rows, path, chinese_headers=True)
    size = path.stat().st_size / 1e6
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    lines = [
        f"{args.rows:,} rows, {args.format.upper()} {size:.1f} MB, Chinese headers",
        "",
        f"(load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)",
        "",
        "| database | run | seconds | rows/s | child CPU s | peak RSS MB | result |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for kind in kinds:
        url = fresh_database(kind, args.pg_url, args.keep)
        for run in ("first import", "re-import (adds nothing)"):
            seconds, cpu, peak_mb, summary = timed_import(url, path)
            ok = "ok" if seconds < TARGET_SECONDS and peak_mb < TARGET_MB else "MISSED"
            lines.append(
                f"| {kind} | {run} | {seconds:.1f} | {args.rows / seconds:,.0f} | {cpu:.1f} "
                f"| {peak_mb:.0f} "
                f"| {ok}: {summary} |"
            )
            print(lines[-1], flush=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
