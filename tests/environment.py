"""Loaded by pytest (`-p tests.environment`) before Django reads its settings."""

import os

# Tests run with DEBUG off, as production does; they need some key.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# The test client speaks plain HTTP; tests/supportdesk/test_deploy.py checks
# the secure defaults in a process of their own.
os.environ.setdefault("SUPPORTDESK_HTTPS", "0")
# A developer's .env (DEBUG=1, a DATABASE_URL) must not change what tests see.
os.environ.setdefault("SUPPORTDESK_ENV_FILE", "")
