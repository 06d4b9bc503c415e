#!/usr/bin/env bash
# `make serve`: production's shape on one machine -- gunicorn (2 workers), a
# Celery worker and Celery beat; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
# Every process here already runs one per core: a BLAS thread pool on top of
# that (the triage model's refit in the Celery worker) spins against them and
# made each fit several times slower on 2 cores (tests/environment.py, measured).
for var in OPENBLAS_NUM_THREADS OMP_NUM_THREADS MKL_NUM_THREADS; do
    export "$var=${!var:-1}"
done
"$VENV/bin/python" manage.py migrate --noinput
"$VENV/bin/python" manage.py collectstatic --noinput >/dev/null
"$VENV/bin/celery" -A supportdesk worker -l INFO &
worker=$!
"$VENV/bin/celery" -A supportdesk beat -l INFO --schedule "${BEAT_SCHEDULE:-var/celerybeat-schedule}" &
beat=$!
trap 'kill $worker $beat 2>/dev/null; wait' EXIT INT TERM
"$VENV/bin/gunicorn" -c gunicorn.conf.py supportdesk.wsgi
