"""`make run`'s first step: a git-ignored .env for local development.

Written once (an existing .env is left alone): DEBUG=1 and a SECRET_KEY of its
own, so every `python manage.py ...` command of the README works as typed.
Settings read .env through supportdesk.env; the process environment wins.
"""

import secrets
import sys
from pathlib import Path

TEMPLATE = """# Local development settings, written by `make run` (git-ignored).
# The process environment wins over this file; see .env.example for the rest.
DEBUG=1
SECRET_KEY={key}
"""


def main(path: Path) -> None:
    if path.exists():
        return
    path.write_text(TEMPLATE.format(key=secrets.token_urlsafe(50)), encoding="utf-8")
    print(f"wrote {path} (DEBUG=1 and a generated SECRET_KEY)")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ".env"))
