#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    from supportdesk.env import EnvError

    try:
        execute_from_command_line(sys.argv)
    except EnvError as exc:
        sys.stderr.write(f"configuration error: {exc}\n")
        sys.exit(2)
    except OperationalError as exc:
        # A refused connection: one line naming the variable, not a traceback.
        first = (str(exc).strip().splitlines() or [""])[0]
        sys.stderr.write(f"configuration error: DATABASE_URL: cannot connect ({first})\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
