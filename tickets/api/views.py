"""The JSON API for integrations (a WeCom bot, a mail gateway)."""

import io

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from guide.triage import suggest
from tickets import actions, idempotency, selectors
from tickets.api.serializers import (
    ConflictSerializer,
    TicketActionSerializer,
    TicketCorrectSerializer,
    TicketCreatedSerializer,
    TicketCreateSerializer,
    TicketDetailSerializer,
    TicketSerializer,
    TriageRequestSerializer,
    TriageResponseSerializer,
)
from tickets.filters import TicketFilter
from tickets.permissions import ADD

MAX_BODY_BYTES = 64 * 1024
# Deeper JSON than this is no request of ours; far deeper would exhaust
# Python's recursion limit in the parser (a RecursionError, a 500).
MAX_JSON_DEPTH = 20


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("请求体过大（上限 64 KB）。")
    default_code = "body_too_large"


class LimitedJSONParser(JSONParser):
    """JSON only, and no more than MAX_BODY_BYTES of it."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BODY_BYTES:
            raise BodyTooLarge()
        if not raw.strip():
            return {}
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON 嵌套过深。")) from None
        if _depth(data) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(_("JSON 嵌套过深。"))
        if not isinstance(data, dict):
            raise exceptions.ParseError(_("请求体应为 JSON 对象。"))
        return data


def _depth(value) -> int:
    """How deeply lists and objects nest in parsed JSON (iterative: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


class IsDesk(IsAuthenticated):
    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perm(ADD)


class NewestFirst(CursorPagination):
    # A cursor, not an offset: page 10,000 is as fast as page 1 and needs no COUNT.
    ordering = ("-created_at", "-id")
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        # DRF silently falls back to 50 for page_size=abc or 0; the schema says
        # a positive integer, so anything else is the caller's error.
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not (value.isascii() and value.isdigit() and int(value) > 0):
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("应为正整数（上限 200）。")]}
            )
        return super().get_page_size(request)


class TicketListCreate(generics.ListAPIView):
    parser_classes = [LimitedJSONParser]
    serializer_class = TicketSerializer
    pagination_class = NewestFirst
    filter_backends = [DjangoFilterBackend]
    filterset_class = TicketFilter

    def get_permissions(self):
        return [IsDesk()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_queryset(self):
        return selectors.ticket_list(self.request.user)

    @extend_schema(request=TicketCreateSerializer, responses={201: TicketCreatedSerializer})
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > idempotency.KEY_MAX_LENGTH:
            raise exceptions.ValidationError({"Idempotency-Key": [_("过长（上限 200 字符）。")]})
        status_code, body, replayed = idempotency.run_once(
            request.user, key, lambda: self._create(request)
        )
        response = Response(body, status=status_code)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    def _create(self, request):
        serializer = TicketCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        contact = d.get("contact", {})
        try:
            ticket = actions.create_ticket(
                actor=request.user,
                text=d["text"],
                channel=d["channel"],
                candidate_number=d.get("candidate_number", ""),
                candidate_name=d.get("candidate_name", ""),
                college=d.get("college"),
                contact_phone=contact.get("phone", ""),
                contact_email=contact.get("email", ""),
                contact_wechat=contact.get("wechat", ""),
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc
        return status.HTTP_201_CREATED, dict(TicketCreatedSerializer(ticket).data)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "transition_not_allowed"


def _run(request, name, ticket, params):
    """One named action, as the ticket page runs it; errors as API errors.

    A `version` other than the ticket's is a 409 naming what changed, before any rule.
    """
    from tickets import versioning

    versioning.expect(ticket, params.pop("version", None))
    try:
        versioning.check_current(ticket, ticket)
        return actions.perform(name, actor=request.user, ticket=ticket, **params)
    except versioning.StaleTicket as exc:
        raise Conflict({"detail": exc.messages[0], "changes": exc.changes}) from exc
    except actions.TransitionNotAllowed as exc:
        raise Conflict(" ".join(exc.messages)) from exc
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        raise exceptions.ValidationError(detail) from exc


class TicketDetail(APIView):
    """One ticket with its timeline; PATCH corrects its category or route."""

    parser_classes = [LimitedJSONParser]

    def _ticket(self, request, pk):
        return selectors.ticket_detail(request.user, pk)

    @extend_schema(responses={200: TicketDetailSerializer})
    def get(self, request, pk):
        return Response(TicketDetailSerializer(self._ticket(request, pk)).data)

    @extend_schema(
        request=TicketCorrectSerializer,
        responses={200: TicketDetailSerializer, 409: ConflictSerializer},
        description="Correct the category and/or route, as on the ticket page: the engine "
        "learns from it, the timeline records it and the reply moves to the new answer "
        "(unless it was edited by hand).",
    )
    def patch(self, request, pk):
        ticket = self._ticket(request, pk)
        serializer = TicketCorrectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        params = {
            "category": d.get("category", ticket.category),
            "route": d.get("route", ticket.route),
            "note": d.get("note", ""),
            "version": d.get("version"),
        }
        ticket = _run(request, "correct", ticket, params)
        return Response(TicketDetailSerializer(selectors.ticket_detail(request.user, pk)).data)


class TicketActions(APIView):
    """The ticket page's buttons: answer, escalate, refer, comment, assign_me,
    resolve, close, reopen; the same rules (409 for a move the lifecycle forbids)."""

    parser_classes = [LimitedJSONParser]

    @extend_schema(
        request=TicketActionSerializer,
        responses={200: TicketDetailSerializer, 409: ConflictSerializer},
    )
    def post(self, request, pk):
        ticket = selectors.ticket_detail(request.user, pk)
        serializer = TicketActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        params = dict(serializer.validated_data)
        name = params.pop("action")
        _run(request, name, ticket, params)
        return Response(TicketDetailSerializer(selectors.ticket_detail(request.user, pk)).data)


class Triage(APIView):
    """The engine's suggestion for a text; nothing is saved."""

    parser_classes = [LimitedJSONParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=TriageRequestSerializer, responses={200: TriageResponseSerializer})
    def post(self, request):
        serializer = TriageRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        s = suggest(serializer.validated_data["text"])
        return Response(
            TriageResponseSerializer(
                {
                    "category": s.category,
                    "route": s.route,
                    "confidence": s.confidence,
                    "also": list(s.also),
                    "evidence": [str(e) for e in s.evidence],
                    "reply": s.reply,
                }
            ).data
        )
