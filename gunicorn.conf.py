"""gunicorn's settings, the way production runs (`make serve`):
`gunicorn -c gunicorn.conf.py supportdesk.wsgi`.

The master refuses to start when the database (DATABASE_URL) or the broker
(REDIS_URL) cannot be reached, naming the variable, instead of serving 500s.
"""

import os
import sys

bind = os.environ.get("HOST", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 60
accesslog = "-"


def on_starting(server):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
    import django

    from supportdesk.env import EnvError

    try:
        django.setup()
        from supportdesk.startup import check_services

        check_services()
    except EnvError as exc:
        sys.stderr.write(f"configuration error: {exc}\n")
        sys.exit(2)
    finally:
        from django.db import connections

        connections.close_all()  # the workers open their own after the fork
