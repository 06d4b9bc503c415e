"""Settings import with no side effects; production serves hashed, compressed
static files."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def python(code: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *(["-c", code] if code else []), *args],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "test-only", "DEBUG": "0", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_importing_the_settings_creates_no_directory_and_start_up_does(tmp_path):
    static_root, database = tmp_path / "static", tmp_path / "db" / "desk.sqlite3"
    env = {"STATIC_ROOT": str(static_root), "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("REDIS_URL", None)

    imported = python("import supportdesk.settings", env)
    assert imported.returncode == 0, imported.stderr
    assert not static_root.exists() and not database.parent.exists()

    started = python("", env, "manage.py", "check")
    assert started.returncode == 0, started.stderr
    assert static_root.is_dir() and database.parent.is_dir()


@pytest.mark.django_db
def test_production_pages_link_hashed_compressed_static_files(tmp_path, client, settings):
    from supportdesk import settings as production

    storage = production.STORAGES["staticfiles"]["BACKEND"]
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    collected = python(
        "", {"STATIC_ROOT": str(tmp_path)}, "manage.py", "collectstatic", "--noinput", "-v0"
    )
    assert collected.returncode == 0, collected.stderr

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": storage}}
    html = client.get(reverse("login")).content.decode()
    css = re.search(r'href="/static/(css/app\.[0-9a-f]{12}\.css)"', html)
    assert css, "the stylesheet is linked by its hashed name"
    assert (tmp_path / css.group(1)).is_file() and (tmp_path / (css.group(1) + ".gz")).is_file()
