from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "ticket", "read_at")
    list_select_related = ("recipient",)
    raw_id_fields = ("ticket", "event")
