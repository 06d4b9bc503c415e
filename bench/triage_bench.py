"""Triage engine speed (targets: >= 5,000 messages/s in one process on one
core; engine ready < 1 s after import).

    .venv/bin/python bench/triage_bench.py [/work/shared/triage/dev.jsonl] [--repeat 7]

Throughput: suggest() over every message of the file (texts only), repeated
until ~3,000 messages per run; the median of --repeat runs, in wall-clock and
in CPU time of this process (the CPU figure is what one core does when the
machine is shared); then the same messages through suggest_many() in a bulk
import's batches. Ready: a fresh interpreter imports guide.triage and
answers its first message (index built from the database, or from
guide.content when there is none); median of 3. A 1 MB message is timed too.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-key")
TARGET_RATE = 5000
TARGET_READY = 1.0

READY_CODE = (
    "import os,time\n"
    "import django\n"
    "django.setup()\n"
    "t=time.perf_counter()\n"
    "from guide.triage import suggest\n"
    "suggest('第三步验证码收不到')\n"
    "print(time.perf_counter()-t)\n"
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default="/work/shared/triage/dev.jsonl")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)

    readies = []
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", READY_CODE], capture_output=True, text=True, cwd=ROOT, check=True
        )
        readies.append(float(done.stdout.strip().splitlines()[-1]))

    import django

    django.setup()
    from guide.triage import knowledge, suggest, suggest_many
    from imports.batches import BATCH_SIZE as BATCH

    texts = [json.loads(line)["text"] for line in open(args.file, encoding="utf-8") if line.strip()]
    suggest(texts[0])
    knowledge.use(knowledge.current())  # pin the index: time the engine, not the version check
    rounds = max(1, 3000 // len(texts))
    wall, cpu = [], []
    for _ in range(args.repeat):
        w, c = time.perf_counter(), time.process_time()
        for _ in range(rounds):
            for text in texts:
                suggest(text)
        n = rounds * len(texts)
        wall.append(n / (time.perf_counter() - w))
        cpu.append(n / (time.process_time() - c))
    batch_cpu = []  # suggest_many in a bulk import's batches
    stream = texts * rounds
    for _ in range(args.repeat):
        c = time.process_time()
        for start in range(0, len(stream), BATCH):
            suggest_many(stream[start : start + BATCH])
        batch_cpu.append(len(stream) / (time.process_time() - c))
    big = "验证码收不到，企微怎么激活？" * 75_000
    start = time.perf_counter()
    suggest(big)
    big_ms = (time.perf_counter() - start) * 1000
    knowledge.use(None)

    rate, rate_cpu, ready = (
        statistics.median(wall),
        statistics.median(cpu),
        statistics.median(readies),
    )
    print(f"messages: {len(texts)} from {args.file}, {rounds} rounds x {args.repeat} runs")
    print(
        f"throughput: {rate:,.0f} messages/s wall-clock, {rate_cpu:,.0f} messages/s of CPU "
        f"(median; runs {min(wall):,.0f}-{max(wall):,.0f}); target {TARGET_RATE:,}: "
        f"{'met' if rate_cpu >= TARGET_RATE else 'NOT met'}"
    )
    print(
        f"in batches of {BATCH:,} (suggest_many, bulk import): "
        f"{statistics.median(batch_cpu):,.0f} messages/s of CPU (median)"
    )
    print(
        f"ready after import: {ready * 1000:.0f} ms (median of 3 fresh processes); "
        f"target < {TARGET_READY:.0f} s: "
        f"{'met' if ready < TARGET_READY else 'NOT met'}"
    )
    print(f"a 1 MB message: {big_ms:.1f} ms")


if __name__ == "__main__":
    main()
