#!/bin/sh
# Every figure issue 16 asks for, from one run, into one Markdown file:
#   1. the peer table: supportdesk beside django-helpdesk at 100,000 tickets (peer_bench.py)
#   2. the 1,000,000-ticket table over HTTP: median, p95, worker CPU, queries;
#      the export rates; the searches with their EXPLAIN (http_bench.py)
#   3. the load test: 2 workers, 8 clients, 60 s (load_bench.py)
#
#   sh bench/run_issue16.sh            # databases h16_100k and h16_1m on 127.0.0.1
#   PG=postgres://postgres@db:5432 DB_1M=big DB_100K=small REPEAT=30 sh bench/run_issue16.sh
#
# A missing database is made first (bench/make_tickets.py, VACUUM ANALYZE:
# ~2 min for 100k, ~13 min for 1M on the 2-CPU machine). Run it on a quiet
# machine: it prints the load average before each part, and wall times mean
# little when other work shares the CPUs. Output: bench/out/issue16-<time>.md
set -eu
cd "$(dirname "$0")/.."
PG=${PG:-postgres://postgres@127.0.0.1:5432}
DB_1M=${DB_1M:-h16_1m}
DB_100K=${DB_100K:-h16_100k}
REPEAT=${REPEAT:-20}
PY=.venv/bin/python
mkdir -p bench/out
OUT=bench/out/issue16-$(date -u +%Y%m%dT%H%MZ).md

ensure_db() { # name count
    if ! psql "$PG/$1" -Atc 'SELECT 1 FROM tickets_ticket LIMIT 1' >/dev/null 2>&1; then
        psql "$PG/postgres" -c "CREATE DATABASE \"$1\"" >/dev/null 2>&1 || true
        DATABASE_URL="$PG/$1" $PY bench/make_tickets.py --count "$2" --migrate
        psql "$PG/$1" -c 'VACUUM ANALYZE' >/dev/null
    fi
    # An older bench database gets the schema of this checkout.
    DATABASE_URL="$PG/$1" SECRET_KEY=bench-only-key $PY manage.py migrate --noinput -v0
}

part() { # title
    printf '\n## %s\n\n%s, load average %s (%s CPUs), main at %s\n\n' "$1" \
        "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)" \
        "$(git rev-parse --short HEAD)" >>"$OUT"
}

ensure_db "$DB_100K" 100000
ensure_db "$DB_1M" 1000000
echo "# Issue 16: one run" >"$OUT"

part "Beside django-helpdesk at 100,000 tickets"
DATABASE_URL="$PG/$DB_100K" $PY bench/peer_bench.py --repeat "$REPEAT" >>"$OUT"

part "1,000,000 tickets over HTTP: pages, searches, API, exports"
DATABASE_URL="$PG/$DB_1M" $PY bench/http_bench.py --repeat "$REPEAT" --export-days 21 >>"$OUT"

part "Under load at 1,000,000 tickets"
DATABASE_URL="$PG/$DB_1M" $PY bench/load_bench.py --seconds 60 --clients 8 --workers 2 >>"$OUT"

echo "$OUT"
