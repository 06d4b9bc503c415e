from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tickets.models import Channel, College, Ticket, candidate_number_validator
from tickets.services import TEXT_MAX_LENGTH


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


class ContactSerializer(StrictSerializer):
    phone = serializers.RegexField(
        r"^[0-9+\- ()]{7,20}$", required=False, allow_blank=True, max_length=20
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    wechat = serializers.CharField(required=False, allow_blank=True, max_length=64)


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
            if "@" in value:
                data = {"email": value}
            elif value and all(ch in "0123456789+- ()" for ch in value):
                data = {"phone": value}
            else:
                data = {"wechat": value}
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("应为字符串或对象。"))
        nested = ContactSerializer(data=data)
        if not nested.is_valid():
            raise serializers.ValidationError(nested.errors)
        return nested.validated_data

    def to_representation(self, value):
        return value


class TicketCreateSerializer(StrictSerializer):
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    channel = serializers.ChoiceField(choices=Channel.choices)
    candidate_number = serializers.CharField(
        required=False, allow_blank=True, max_length=15, validators=[candidate_number_validator]
    )
    candidate_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    college = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("学院代码或中文名称")
    )
    contact = ContactField(required=False)

    def validate_college(self, value):
        if not value:
            return None
        college = College.objects.filter(Q(code=value) | Q(name=value)).first()
        if college is None:
            raise serializers.ValidationError(_("未知学院。"))
        return college


class TicketCreatedSerializer(serializers.ModelSerializer):
    confidence = serializers.FloatField(source="suggested_confidence")
    reply = serializers.CharField(source="reply_text")

    class Meta:
        model = Ticket
        fields = ["id", "category", "route", "confidence", "reply", "status"]


class TicketSerializer(serializers.ModelSerializer):
    college = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)
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

    def get_suggestion(self, obj) -> dict:
        return {
            "category": obj.suggested_category,
            "route": obj.suggested_route,
            "confidence": obj.suggested_confidence,
            "evidence": obj.suggested_evidence,
        }


class TriageRequestSerializer(StrictSerializer):
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class TriageResponseSerializer(serializers.Serializer):
    category = serializers.CharField()
    route = serializers.CharField()
    confidence = serializers.FloatField()
    also = serializers.ListField(child=serializers.CharField())
    evidence = serializers.ListField(child=serializers.CharField())
    reply = serializers.CharField()
