"""API for the desk's bulk work: bulk actions (and their jobs) and merging."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tickets import bulk, merging, selectors, versioning
from tickets.api.serializers import ID_MAX, VERSION_MAX, StrictSerializer, StringField
from tickets.api.views import IsDesk, LimitedJSONParser
from tickets.models import BulkJob


class BulkRequestSerializer(StrictSerializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        max_length=bulk.MAX_TICKETS,
    )
    filter = serializers.DictField(
        child=StringField(allow_blank=True),
        required=False,
        help_text="the ticket list's filter parameters, e.g. {status: open, category: sms_code}",
    )
    action = serializers.ChoiceField(choices=list(bulk.ACTIONS))
    reply_id = StringField(required=False, help_text="canned reply id or 'default'")
    resolve = serializers.BooleanField(required=False, help_text="answer, then resolve")
    note = StringField(required=False, allow_blank=True)
    assignee = StringField(required=False, help_text="'me' or a desk username")
    category = StringField(required=False)
    route = StringField(required=False)
    into = serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text="merge target ticket id"
    )

    def validate(self, data):
        if not data.get("ids") and "filter" not in data:
            raise serializers.ValidationError({"ids": ["ids or filter is required."]})
        return data


class BulkResultSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    changed = serializers.IntegerField(required=False)
    skipped = serializers.IntegerField(required=False)
    skipped_reasons = serializers.DictField(child=serializers.IntegerField(), required=False)
    skipped_examples = serializers.ListField(required=False)
    job = serializers.IntegerField(required=False, help_text="the queued job, over 100 tickets")
    state = serializers.CharField(required=False)
    progress = serializers.CharField(required=False, help_text="URL of the job's progress")


class BulkJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    percent = serializers.IntegerField()
    changed = serializers.IntegerField()
    skipped = serializers.IntegerField()
    skipped_reasons = serializers.DictField(child=serializers.IntegerField())
    skipped_examples = serializers.ListField()


def _django_errors(exc):
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc))
    # Always an object, as every other 400 of the API ({"detail": [...]} for an
    # error of the request as a whole), never a bare list.
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    return exceptions.ValidationError(detail)


class TicketBulk(APIView):
    """One action over tickets chosen by id or by the list's filter.

    Up to 100 tickets are acted on at once (200 with the counts); more are
    queued as a job (202 with its id; poll GET /api/tickets/bulk/<job>/).
    """

    parser_classes = [LimitedJSONParser]
    permission_classes = [IsDesk]

    @extend_schema(
        request=BulkRequestSerializer,
        responses={200: BulkResultSerializer, 202: BulkResultSerializer},
    )
    def post(self, request):
        serializer = BulkRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = dict(serializer.validated_data)
        action = d.pop("action")
        try:
            ids = bulk.select_ids(
                request.user,
                ids=d.pop("ids", None),
                filter_data=d.pop("filter", None),
                request=request,
            )
            if len(ids) <= bulk.SYNC_LIMIT:
                outcome = bulk.apply(actor=request.user, ticket_ids=ids, action=action, params=d)
                return Response(outcome.as_dict())
            job = bulk.job_create(actor=request.user, ticket_ids=ids, action=action, params=d)
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _django_errors(exc) from exc
        return Response(
            {
                "total": job.total,
                "job": job.pk,
                "state": job.state,
                "progress": request.build_absolute_uri(f"/api/tickets/bulk/{job.pk}/"),
            },
            status=status.HTTP_202_ACCEPTED,
        )


class TicketBulkJob(APIView):
    permission_classes = [IsDesk]

    @extend_schema(responses={200: BulkJobSerializer})
    def get(self, request, pk):
        job = get_object_or_404(BulkJob, pk=pk)
        return Response(bulk.job_summary(job))


class MergeRequestSerializer(StrictSerializer):
    into = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    note = StringField(required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=VERSION_MAX,
        help_text="the version the caller saw; another one is a 409",
    )


class StaleSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="the ticket's current version")
    changes = serializers.ListField(child=serializers.CharField())


class Stale(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale"


def _stale(exc):
    error = Stale(str(exc.messages[0]))
    error.detail = {
        "detail": exc.messages[0],
        "version": exc.ticket.version,
        "changes": exc.changes,
    }
    return error


class MergeResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="the target ticket")
    merged = serializers.IntegerField(help_text="the source ticket, now closed")


class TicketMerge(APIView):
    """Merge this ticket into another: its text and events move there, it is closed."""

    parser_classes = [LimitedJSONParser]

    @extend_schema(
        request=MergeRequestSerializer,
        responses={200: MergeResultSerializer, 409: StaleSerializer},
    )
    def post(self, request, pk):
        source = selectors.ticket_detail(request.user, pk)
        serializer = MergeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        into = selectors.ticket_detail(request.user, serializer.validated_data["into"])
        versioning.expect(source, serializer.validated_data.get("version"))
        try:
            merging.ticket_merge(
                actor=request.user,
                source=source,
                into=into,
                note=serializer.validated_data.get("note", ""),
            )
        except versioning.StaleTicket as exc:
            raise _stale(exc) from exc
        except (DjangoValidationError, DjangoPermissionDenied) as exc:
            raise _django_errors(exc) from exc
        return Response({"id": into.pk, "merged": source.pk})
