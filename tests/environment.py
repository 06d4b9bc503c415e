"""Loaded by pytest (`-p tests.environment`) before Django reads its settings."""

import os

# Tests run with DEBUG off, as production does; they need some key.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# The test client speaks plain HTTP; tests/supportdesk/test_deploy.py checks
# the secure defaults in a process of their own.
os.environ.setdefault("SUPPORTDESK_HTTPS", "0")
# A developer's .env (DEBUG=1, a DATABASE_URL) must not change what tests see.
os.environ.setdefault("SUPPORTDESK_ENV_FILE", "")
# One test process per core (pytest-xdist): BLAS threads on top of that spin
# against each other and made each scikit-learn fit (the triage model's
# retrain and its evaluation) several times slower. Set before numpy loads;
# subprocesses inherit it.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
