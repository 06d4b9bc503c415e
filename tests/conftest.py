import pytest

from guide.triage import knowledge
from tests import base
from tests.services import SMTPServer
from tickets import actions, roles
from tickets.models import College


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Templates use {% static %}; tests need no collected manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language():
    # A request through the test client leaves its language active in this
    # thread; every test starts and ends in the default (Chinese).
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_triage_knowledge():
    # The engine caches its index per process and compares it with the
    # database at most every RECHECK_SECONDS: a correction recorded by one
    # test and rolled back would still steer the next test's suggestions.
    # Within a test the index is rechecked only when the test says so (a
    # correction's on-commit recheck, knowledge.recheck()) or sets
    # RECHECK_SECONDS itself: a periodic recheck landing in one of two
    # measured requests would change its query count on a slow machine.
    knowledge.invalidate()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(knowledge, "RECHECK_SECONDS", 3600.0)
        yield
    knowledge.invalidate()


def pytest_configure(config):
    # PBKDF2 costs ~100 ms per create_user; tests check behaviour, not hashing.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test process its own cache: the file cache of var/cache is shared by
    # every xdist worker (and every run), so one test's lock or clear() would
    # reach tests running beside it.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # a model refit costs seconds; tests/guide/triage/test_retrain.py turns it on
    settings.TRIAGE_RETRAIN_ON_CORRECTION = False


@pytest.fixture
def smtp(settings):
    """An SMTP server of the test's own, not yet started (start() it to take mail)."""
    server = SMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


# The named users and colleges of tests/base.py.


@pytest.fixture
def college_a(db):
    return College.objects.get(code=base.COLLEGE_A)


@pytest.fixture
def college_b(db):
    return College.objects.get(code=base.COLLEGE_B)


@pytest.fixture
def desk(db):
    return base.make_user("alice", roles.DESK)


@pytest.fixture
def teacher_a(college_a):
    return base.make_user("bob", roles.COLLEGE_TEACHER, college_a)


@pytest.fixture
def teacher_b(college_b):
    return base.make_user("carol", roles.COLLEGE_TEACHER, college_b)


@pytest.fixture
def viewer(db):
    return base.make_user("victor", roles.REPORT_VIEWER)


@pytest.fixture
def admin(db):
    return base.make_user("admin", superuser=True)


@pytest.fixture
def nobody(db):
    return base.make_user("nina")


@pytest.fixture
def make_ticket(desk):
    """make_ticket(text=..., **fields): a ticket logged by the desk through the service."""

    def make(text="企业号激活第三步一直收不到手机验证码", **kwargs):
        kwargs.setdefault("channel", "phone")
        kwargs.setdefault("actor", desk)
        return actions.create_ticket(text=text, **kwargs)

    return make


@pytest.fixture
def new_category(db):
    """A category added as a row of the categories table (no code, no migration)."""
    from guide.models import FaqCategory

    return FaqCategory.objects.create(
        code="exam_vpn",
        title="考试VPN",
        symptoms="复试期间远程访问",
        answer="请按学院通知使用考试VPN。",
        default_route="guide_answer",
        order=99,
    )
