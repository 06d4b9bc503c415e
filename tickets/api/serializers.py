from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from guide.models import Route
from supportdesk.privacy import mask_contacts
from tickets import roles, selectors, validation
from tickets.models import Channel, Ticket, TicketEvent, candidate_number_validator
from tickets.validation import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH

# The largest values the database columns hold (BigAutoField ids, the
# PositiveIntegerField version): a larger number is a 400, not an OverflowError
# from the driver (a 500).
ID_MAX = 2**63 - 1
VERSION_MAX = 2**31 - 1


def version_field():
    return serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=VERSION_MAX,
        help_text=_("调用方看到的工单版本；工单已被更新时返回 409"),
    )


class StringField(serializers.CharField):
    """A JSON string, not a number or a list that DRF would turn into one ("0")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo never silently drops data."""

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                exc.detail.update({name: [_("未知字段。")] for name in unknown})
            raise
        if unknown:
            raise serializers.ValidationError({name: [_("未知字段。")] for name in unknown})
        return value


def _valid_phone(value):
    if message := validation.phone_error(value):
        raise serializers.ValidationError(message)


class ContactSerializer(StrictSerializer):
    phone = StringField(required=False, allow_blank=True, max_length=20, validators=[_valid_phone])
    email = serializers.EmailField(required=False, allow_blank=True)
    wechat = StringField(required=False, allow_blank=True, max_length=64)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "description": "a phone number, an email address or a WeChat id"},
            {
                "type": "object",
                "properties": {
                    "phone": {"type": "string"},
                    "email": {"type": "string", "format": "email"},
                    "wechat": {"type": "string"},
                },
                "additionalProperties": False,
            },
        ]
    }
)
class ContactField(serializers.Field):
    """{phone?, email?, wechat?}, or one string that is told apart by its shape."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            value = data.strip()
            data = {validation.contact_kind(value): value}
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("应为字符串或对象。"))
        nested = ContactSerializer(data=data)
        if not nested.is_valid():
            raise serializers.ValidationError(nested.errors)
        return nested.validated_data

    def to_representation(self, value):
        return value


class TicketCreateSerializer(StrictSerializer):
    text = StringField(max_length=TEXT_MAX_LENGTH)
    channel = serializers.ChoiceField(choices=Channel.choices)
    candidate_number = StringField(
        required=False, allow_blank=True, max_length=15, validators=[candidate_number_validator]
    )
    candidate_name = StringField(required=False, allow_blank=True, max_length=100)
    college = StringField(
        required=False, allow_blank=True, max_length=100, help_text=_("学院代码或中文名称")
    )
    contact = ContactField(required=False)

    def validate_college(self, value):
        if not value:
            return None
        college = selectors.resolve_college(value)
        if college is None:
            raise serializers.ValidationError(_("未知学院。"))
        return college


class TicketCreatedSerializer(serializers.ModelSerializer):
    confidence = serializers.FloatField(source="suggested_confidence")
    reply = serializers.CharField(source="reply_text")

    class Meta:
        model = Ticket
        fields = ["id", "category", "route", "confidence", "reply", "status"]


class SuggestionSerializer(serializers.Serializer):
    """What the engine suggested when the ticket was logged."""

    category = serializers.CharField()
    route = serializers.CharField()
    confidence = serializers.FloatField()
    evidence = serializers.ListField(child=serializers.CharField())


class TicketSerializer(serializers.ModelSerializer):
    # null: a ticket without a college, a ticket nobody took yet.
    college: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    assignee: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    contact_phone = serializers.CharField(
        source="masked_phone", read_only=True, help_text=_("已打码")
    )
    suggestion = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "created_at",
            "updated_at",
            "version",
            "status",
            "channel",
            "text",
            "candidate_name",
            "candidate_number",
            "college",
            "contact_phone",
            "category",
            "route",
            "also",
            "reply_text",
            "assignee",
            "first_answered_at",
            "resolved_at",
            "suggestion",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not roles.is_desk(request.user):
            # Teachers read the candidate's words with phones and e-mails masked.
            data["text"] = mask_contacts(data["text"])
            data["reply_text"] = mask_contacts(data["reply_text"])
        return data

    @extend_schema_field(SuggestionSerializer)
    def get_suggestion(self, obj) -> dict:
        return {
            "category": obj.suggested_category,
            "route": obj.suggested_route,
            "confidence": obj.suggested_confidence,
            "evidence": obj.suggested_evidence,
        }


class TriageRequestSerializer(StrictSerializer):
    text = StringField(max_length=TEXT_MAX_LENGTH)


class TriageResponseSerializer(serializers.Serializer):
    category = serializers.CharField()
    route = serializers.CharField()
    confidence = serializers.FloatField()
    also = serializers.ListField(child=serializers.CharField())
    evidence = serializers.ListField(child=serializers.CharField())
    reply = serializers.CharField()


class TicketEventSerializer(serializers.ModelSerializer):
    # null: an event of the system (auto-close, a mail fetched) or of a deleted user.
    actor: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = TicketEvent
        fields = ["id", "created_at", "kind", "actor", "note", "data"]
        read_only_fields = fields


class TicketDetailSerializer(TicketSerializer):
    """One ticket with its reply (and whose answer it is) and its timeline."""

    reply = serializers.CharField(source="reply_text", read_only=True)
    events = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = [
            *TicketSerializer.Meta.fields,
            "reply",
            "reply_category",
            "reply_route",
            "reply_edited",
            "events",
        ]
        read_only_fields = fields

    @extend_schema_field(TicketEventSerializer(many=True))
    def get_events(self, obj):
        return TicketEventSerializer(selectors.ticket_timeline(obj), many=True).data


class TicketCorrectSerializer(StrictSerializer):
    """A correction, as on the ticket page: omitted fields keep their value."""

    category = StringField(required=False, max_length=40, help_text=_("分类代码"))
    route = serializers.ChoiceField(choices=Route.choices, required=False)
    note = StringField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)
    version = version_field()


class TicketActionSerializer(StrictSerializer):
    action = serializers.ChoiceField(
        choices=[
            "answer",
            "escalate",
            "refer",
            "comment",
            "assign_me",
            "resolve",
            "close",
            "reopen",
        ]
    )
    note = StringField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)
    reply_text = StringField(
        required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH, help_text=_("answer 时必填")
    )
    tried = StringField(
        required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, help_text=_("escalate 时可填")
    )
    version = version_field()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    changes = serializers.ListField(
        child=serializers.CharField(), required=False, help_text=_("版本不符时：之后的改动")
    )
