from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from tickets.models import College, DeskProfile, Ticket, TicketEvent


@admin.register(College)
class CollegeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "kind", "note", "data")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-mostly: the desk changes tickets through the workflow, which logs events."""

    list_display = (
        "id",
        "created_at",
        "candidate_number",
        "college",
        "category",
        "route",
        "status",
    )
    list_filter = ("status", "route", "channel", "college")
    search_fields = ("candidate_number", "candidate_name")
    list_select_related = ("college",)
    show_full_result_count = False  # no COUNT(*) over a million rows
    readonly_fields = [f.name for f in Ticket._meta.fields]
    inlines = [TicketEventInline]

    def has_add_permission(self, request):
        return False


class DeskProfileInline(admin.StackedInline):
    model = DeskProfile
    can_delete = False
    verbose_name_plural = _("学院（招生老师填写）")


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class DeskUserAdmin(UserAdmin):
    inlines = [DeskProfileInline]
