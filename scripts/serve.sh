#!/usr/bin/env bash
# `make serve`: production's shape on one machine -- gunicorn (2 workers), a
# Celery worker and Celery beat; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
"$VENV/bin/python" manage.py migrate --noinput
"$VENV/bin/python" manage.py collectstatic --noinput >/dev/null
"$VENV/bin/celery" -A supportdesk worker -l INFO &
worker=$!
"$VENV/bin/celery" -A supportdesk beat -l INFO --schedule "${BEAT_SCHEDULE:-var/celerybeat-schedule}" &
beat=$!
trap 'kill $worker $beat 2>/dev/null; wait' EXIT INT TERM
"$VENV/bin/gunicorn" -c gunicorn.conf.py supportdesk.wsgi
