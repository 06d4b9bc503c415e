"""CI step: schemathesis against the live API, 0 failures allowed.

    .venv/bin/python scripts/api_fuzz.py [--max-examples N] [--seed S]

Starts gunicorn (DEBUG off, as production) over a throwaway SQLite database
with the demo data and a desk token, fetches /api/schema/ with that token
(the schema is for signed-in callers only) and runs every schemathesis check
that applies to this API, a fixed number of examples per operation from a
fixed seed, so a run is deterministic and takes well under a minute. Prints
the requests sent and the failures found; exits non-zero on any failure.

`DATABASE_URL=postgres://...` runs it over that (empty, throwaway) database instead.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from livestack import VENV, Stack  # noqa: E402

# Every check that holds for this API. Left out, each for its reason:
# - positive_data_acceptance: a request valid by the schema may still name a
#   ticket that does not exist or is not the caller's (404), a transition the
#   lifecycle forbids (409) or an unknown college (400) -- facts of the data,
#   not of the schema.
# - use_after_free / ensure_resource_availability: the API deletes nothing
#   and a merged ticket stays readable, so these stateful checks find no links.
EXCLUDED = ["positive_data_acceptance", "use_after_free", "ensure_resource_availability"]


def run(max_examples: int, seed: int, database_url: str | None = None) -> dict:
    # Generous API rates: the fuzzer is one caller sending far more than a bot
    # would; the 429s it would get are documented and tested elsewhere.
    rates = {
        "API_RATE_PER_TOKEN": "100000/min",
        "API_RATE_PER_ADDRESS": "100000/min",
        "API_RATE_FAILED_AUTH": "100000/min",
        # Without Redis a correction would refit the triage model inside the
        # request (eager Celery): a minute of CPU per PATCH on a CI machine.
        "TRIAGE_RETRAIN_ON_CORRECTION": "0",
    }
    with Stack(database_url=database_url, extra_env=rates) as stack:
        stack.prepare()
        token = stack.token("desk")
        stack.gunicorn(workers=2)
        report = stack.dir / "schemathesis.json"
        argv = [
            str(VENV / "bin" / "schemathesis"),
            "--config-file",
            str(Path(__file__).with_name("schemathesis.toml")),
            "run",
            f"{stack.base}/api/schema/",
            "--header",
            f"Authorization: Token {token}",
            "--checks",
            "all",
            "--exclude-checks",
            ",".join(EXCLUDED),
            "--max-examples",
            str(max_examples),
            "--seed",
            str(seed),
            "--workers",
            "1",
            "--phases",
            "examples,coverage,fuzzing",
            "--suppress-health-check",
            "all",
            "--request-timeout",
            "10",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
        ]
        result = subprocess.run(argv, env=stack.env)
        counts = summarize(report, stack.log("gunicorn"))
        counts["exit_code"] = result.returncode
        if result.returncode and counts["failures"] == 0:
            sys.stderr.write(stack.log("gunicorn")[-5000:])
        return counts


def summarize(ndjson: Path, access_log: str) -> dict:
    """Requests sent (gunicorn's access log) and distinct failures (schemathesis'
    event stream: one per operation, check and message)."""
    requests = sum(1 for line in access_log.splitlines() if '"schemathesis/' in line)
    failures = set()
    if ndjson.exists():
        for line in ndjson.read_text().splitlines():
            scenario = json.loads(line).get("ScenarioFinished")
            if not scenario:
                continue
            for checks in (scenario["recorder"].get("checks") or {}).values():
                for check in checks:
                    if check.get("status") == "failure":
                        failure = check.get("failure_info", {}).get("failure", {})
                        failures.add(
                            (failure.get("operation"), failure.get("code"), failure.get("message"))
                        )
    return {"requests": requests, "failures": len(failures)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()
    import os

    counts = run(args.max_examples, args.seed, os.environ.get("DATABASE_URL"))
    print(f"schemathesis: {counts['requests']} requests, {counts['failures']} failed checks")
    return 0 if counts["exit_code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
