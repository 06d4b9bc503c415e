"""The project itself as an app: what every process does once at start-up,
so that importing the settings changes nothing on disk."""

from pathlib import Path

from django.apps import AppConfig
from django.conf import settings

from supportdesk import logs  # noqa: F401 -- connects the Celery task log lines


def local_directories() -> list[Path]:
    """Directories a laptop's process needs before it starts: the SQLite
    database's folder (SQLite creates the file, not the folder) and the
    collected static files (whitenoise warns about a missing root)."""
    found = [Path(settings.STATIC_ROOT)]
    database = settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    if database["ENGINE"] == "django.db.backends.sqlite3" and name and ":memory:" not in name:
        if not name.startswith("file:"):
            found.append(Path(name).parent)
    return found


class SupportdeskConfig(AppConfig):
    name = "supportdesk"
    verbose_name = "supportdesk"

    def ready(self) -> None:
        for directory in local_directories():
            directory.mkdir(parents=True, exist_ok=True)
