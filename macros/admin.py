from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from macros.models import CannedReply


@admin.register(CannedReply)
class CannedReplyAdmin(SimpleHistoryAdmin):
    """Who changed which reply when comes from simple-history, like the category answers."""

    list_display = ["name", "category", "route", "order", "active"]
    list_filter = ["category", "route", "active"]
    search_fields = ["name", "body"]
    history_list_display = ["body"]
