"""What an exported row costs, counted in function calls (the same on any
machine, unlike seconds): no cell object, label lookup through gettext or
per-cell helper per value, so the 200,000 rows an export may hold stream in
seconds of CPU."""

import sys

import pytest

URL = "/tickets/"


def calls_to_export(client, fmt):
    """Python and C function calls made while the export is built and read."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        response = client.get(URL, {"status": "", "export": fmt})
        body = b"".join(response.streaming_content) if response.streaming else response.content
    finally:
        sys.setprofile(None)
    assert response.status_code == 200 and body
    return count


@pytest.mark.django_db
# Before: 96 calls a CSV row, 318 an XLSX row (on SQLite, whose driver adds
# ~12 for the time; PostgreSQL formats it).
@pytest.mark.parametrize(("fmt", "most"), [("csv", 40), ("xlsx", 100)])
def test_an_exported_row_costs_a_few_calls(client, make_ticket, desk, fmt, most):
    client.force_login(desk)
    counts = []
    for batch in range(2):
        for i in range(20):
            make_ticket(
                text=f"企业号激活第三步一直收不到手机验证码 {batch}-{i}",
                candidate_number=f"10614600000{batch}{i:03d}",
                contact_phone=f"1391234{i:04d}",
            )
        calls_to_export(client, fmt)  # first-time imports, caches
        counts.append(calls_to_export(client, fmt))
    per_row = (counts[1] - counts[0]) / 20
    assert per_row <= most, f"{per_row:.1f} calls per {fmt} row"
