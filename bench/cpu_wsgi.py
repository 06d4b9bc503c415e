"""The desk's WSGI application, wrapped for the HTTP benchmarks only: every
response carries the worker's CPU time for it (`X-Worker-CPU-us`, the
process's CPU clock around the application call) and its SQL query count
(`X-Queries`). A streamed response's body is made after its headers, so the
export benchmarks read the worker's CPU counters in /proc instead."""

import time

from django.db import connection

from supportdesk.wsgi import application as desk_application


def application(environ, start_response):
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    def start(status, headers, exc_info=None):
        cpu_us = round((time.process_time() - started) * 1e6)
        headers = [*headers, ("X-Worker-CPU-us", str(cpu_us)), ("X-Queries", str(queries[0]))]
        return start_response(status, headers, exc_info)

    started = time.process_time()
    with connection.execute_wrapper(count):
        return desk_application(environ, start)
