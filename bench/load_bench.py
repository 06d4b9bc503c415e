"""The desk under load: 2 gunicorn sync workers, 8 concurrent clients for a
bounded time, mixing lists, searches, ticket pages and API creates.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/h16_1m
    .venv/bin/python bench/load_bench.py --seconds 60 --clients 8 --workers 2

Each client is a desk member of its own (the bench desk user of http_harness
and bench_desk_2 ... bench_desk_8, each with a full default view and an API
token: eight people at the desk, not one person in eight browsers, whose
creates would all count against one token's API rate), a thread with its own
keep-alive connection and session, and picks its next request from the mix
below. Prints requests/s, wall-time percentiles and the worker CPU median per
kind and overall, errors (any status but 200 for a page and 201 for a create,
or a failed connection), and the CPU per request of the workers, PostgreSQL
and the client. Targets (issue 16): >= 80 requests/s, p95 < 300 ms, 0 errors.
"""

import argparse
import json
import os
import random
import threading
import time
from collections import defaultdict

from http_harness import (
    BENCH_PASSWORD,
    BENCH_USER,
    Client,
    Gunicorn,
    bench_user,
    percentile,
    process_cpu_seconds,
    setup_django,
    worker_cpu_seconds,
)

MIX = (
    ("list: default view", 30),
    ("list: college & status", 15),
    ("search", 15),
    ("ticket page", 30),
    ("POST /api/tickets/", 10),
)
SEARCHES = ("鸿蒙", "群聊", "点了半天", "验证码")
COLLEGES = ("sice", "scse", "see")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    from tickets.models import Ticket

    # One desk member per client (see the docstring).
    members = [BENCH_USER] + [f"{BENCH_USER}_{i}" for i in range(2, args.clients + 1)]
    tokens = {name: bench_user(name)[1] for name in members}
    newest = Ticket.objects.order_by("-id").values_list("id", flat=True).first()
    total = Ticket.objects.count()
    kinds = [k for k, w in MIX for _ in range(w)]
    results = defaultdict(list)  # kind -> wall ms
    worker_cpu = defaultdict(list)  # kind -> the worker's CPU ms (X-Worker-CPU-us)
    errors = defaultdict(int)
    lock = threading.Lock()
    load_before = os.getloadavg()[0]

    with Gunicorn(workers=args.workers) as server:
        # Every client signs in before the clock and the CPU counters start:
        # the mix has no logins, and each costs a worker some 0.3 s of CPU
        # (PBKDF2), which counted into the run's CPU per request before.
        clients = [
            (
                members[i % len(members)],
                Client(server.port).login(members[i % len(members)], BENCH_PASSWORD),
            )
            for i in range(args.clients)
        ]
        for _, client in clients:  # and the workers have compiled their templates
            client.get("/tickets/")
            client.get(f"/tickets/{newest}/")

        def run(seed, member, client, stop_at):
            rng = random.Random(seed)
            auth = {"Authorization": f"Token {tokens[member]}", "Content-Type": "application/json"}
            while time.time() < stop_at:
                kind = rng.choice(kinds)
                try:
                    if kind == "list: default view":
                        reply = client.get("/tickets/")
                    elif kind == "list: college & status":
                        reply = client.get(
                            "/tickets/", {"college": rng.choice(COLLEGES), "status": "new"}
                        )
                    elif kind == "search":
                        reply = client.get("/tickets/", {"q": rng.choice(SEARCHES), "status": ""})
                    elif kind == "ticket page":
                        reply = client.get(f"/tickets/{rng.randint(newest - 900_000, newest)}/")
                    else:
                        body = json.dumps(
                            {"text": f"收不到验证码 bench {time.time_ns()}", "channel": "qq"}
                        )
                        reply = client.request("POST", "/api/tickets/", body=body, headers=auth)
                except OSError:
                    with lock:
                        errors[kind] += 1
                    continue
                # A page is a 200 and a create a 201: a redirect (to the login
                # page, a session signed out) is no page either.
                with lock:
                    if reply.status != (201 if kind == "POST /api/tickets/" else 200):
                        errors[kind] += 1
                    else:
                        results[kind].append(reply.wall_ms)
                        if reply.cpu_ms is not None:
                            worker_cpu[kind].append(reply.cpu_ms)

        # CPU of the run: the workers, the database's backends (sampled every
        # half second: a backend ends when its connection reaches CONN_MAX_AGE,
        # and a new one takes over), this client.
        database = connection.settings_dict["NAME"]
        cpu0 = _cpu(server.worker_pids(), database)
        backends = dict(cpu0["backends"])
        done = threading.Event()

        def sample():
            while not done.wait(0.5):
                backends.update(_cpu([], database)["backends"])

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.time()
        stop_at = started + args.seconds
        threads = [
            threading.Thread(target=run, args=(i, *clients[i], stop_at), daemon=True)
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - started
        cpu1 = _cpu(server.worker_pids(), database)
        done.set()
        sampler.join()
        backends.update(cpu1["backends"])

    every = [ms for values in results.values() for ms in values]
    count, failed = len(every), sum(errors.values())
    rate = count / elapsed
    print(
        f"{total:,} tickets; gunicorn {args.workers} sync workers, {args.clients} clients, "
        f"{elapsed:.0f} s; load average at start {load_before:.1f} on {os.cpu_count()} CPUs\n"
    )
    print("| kind | requests | median ms | p95 ms | worker CPU ms (median) | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, _ in MIX:
        values = results[kind]
        if values:
            cpu = percentile(worker_cpu[kind], 0.5) if worker_cpu[kind] else float("nan")
            print(
                f"| {kind} | {len(values)} | {percentile(values, 0.5):.0f} "
                f"| {percentile(values, 0.95):.0f} | {cpu:.1f} | {errors[kind]} |"
            )
    p95 = percentile(every, 0.95) if every else float("nan")
    cpu_all = [ms for values in worker_cpu.values() for ms in values]
    cpu = percentile(cpu_all, 0.5) if cpu_all else float("nan")
    print(
        f"| **all** | {count} | {percentile(every, 0.5):.0f} | {p95:.0f} | {cpu:.1f} | {failed} |\n"
    )
    met = rate >= 80 and p95 < 300 and failed == 0
    print(
        f"{rate:.1f} requests/s, p95 {p95:.0f} ms, {failed} errors: target (>= 80/s, "
        f"p95 < 300 ms, 0 errors) {'met' if met else 'NOT met'}"
    )
    if count:
        spent = {k: (cpu1[k] - cpu0[k]) * 1000 / count for k in ("workers", "client")}
        # per backend, its CPU when last seen less what it had before the run
        postgres = sum(cpu - cpu0["backends"].get(pid, 0.0) for pid, cpu in backends.items())
        spent["postgres"] = postgres * 1000 / count
        whole = sum(spent.values())
        print(
            f"CPU per request: workers {spent['workers']:.1f} ms, PostgreSQL "
            f"{spent['postgres']:.1f} ms (the backends of {database}), this client "
            f"{spent['client']:.1f} ms: {whole:.1f} ms, at most "
            f"{os.cpu_count() * 1000 / whole:.0f} requests/s on {os.cpu_count()} CPUs"
        )
    deleted = Ticket.objects.filter(text__contains=" bench ").delete()[0]
    print(f"({deleted} rows created by the API runs were deleted again.)")


def _cpu(worker_pids, database):
    """CPU seconds so far of the gunicorn workers, of PostgreSQL's backends
    serving `database` (by their process titles) and of this process."""
    backends = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    title = f.read().decode(errors="replace")
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {database} " in title:
                backends.append(int(entry))
    return {
        "workers": worker_cpu_seconds(worker_pids),
        "backends": {pid: process_cpu_seconds([pid]) for pid in backends},
        "client": sum(os.times()[:2]),
    }


if __name__ == "__main__":
    main()
