"""Loaded by pytest (`-p tests.environment`) before Django reads its settings."""

import os

# Tests run with DEBUG off, as production does; they need some key.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
