"""Writing a batch of imported rows: tickets, their events, the bad rows and
the job's resume point, in one transaction, with multi-row INSERTs."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from imports.models import ImportJob, ImportRowError
from supportdesk.rawinsert import RawInsert
from tickets import events
from tickets.models import Status, Ticket
from tickets.validation import ticket_values


def write_batch(job, user_id, triaged, problems, *, read, blank, error_rows, now) -> int:
    """One batch in one transaction, with the job's resume point: whole or nothing.

    `triaged` is (ParsedRow, suggestion) pairs, the suggestion None for a row
    already in the database. Returns how many tickets were created.
    """
    with transaction.atomic():
        keys = [row.key for row, _s in triaged]
        existing = set(
            Ticket.objects.filter(source_key__in=keys).values_list("source_key", flat=True)
        )
        fresh = []
        for row, suggestion in triaged:
            if row.key in existing or suggestion is None:
                continue
            existing.add(row.key)  # a repeat inside the batch is a duplicate too
            fresh.append((row, suggestion))
        inserted = RawInsert(Ticket, returning=("id", "source_key"))(
            [_ticket_values(row, suggestion, user_id, now) for row, suggestion in fresh]
        )
        ids = dict((key, pk) for pk, key in inserted)
        events.insert_created(
            [
                dict(
                    ticket_id=ids[row.key],
                    actor_id=user_id,
                    created_at=now,
                    channel=row.channel,
                    category=suggestion.category,
                    route=suggestion.route,
                    confidence=suggestion.confidence,
                    import_job=job.pk,
                    row=row.number,
                )
                for row, suggestion in fresh
            ]
        )
        ImportRowError.objects.bulk_create(
            [
                ImportRowError(
                    job=job,
                    row_number=p.number,
                    column=p.column,
                    reason=p.reason[:300],
                    value=p.value[:200],
                )
                for p in problems
            ]
        )
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=F("rows_done") + read,
            created_count=F("created_count") + len(fresh),
            duplicate_count=F("duplicate_count") + len(triaged) - len(fresh),
            error_count=F("error_count") + error_rows,
            blank_count=F("blank_count") + blank,
            updated_at=now,
        )
    return len(fresh)


def _ticket_values(row, suggestion, user_id, now) -> dict:
    # The values ticket_create gives a ticket, from the same function; the row
    # was validated by RowParser with the same rules, without per-row queries.
    values = ticket_values(
        text=row.text,
        channel=row.channel,
        candidate_number=row.candidate_number,
        candidate_name=row.candidate_name,
        contact_phone=row.contact_phone,
        contact_email=row.contact_email,
        contact_wechat=row.contact_wechat,
        suggestion=suggestion,
    )
    values.update(
        college_id=row.college_id,
        status=Status.NEW.value,
        created_by_id=user_id,
        created_at=row.created_at or now,
        updated_at=now,
        source_key=row.key,
    )
    return values
