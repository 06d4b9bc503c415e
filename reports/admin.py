from django.contrib import admin

from reports.models import WeeklyReport


@admin.register(WeeklyReport)
class WeeklyReportAdmin(admin.ModelAdmin):
    list_display = ("iso_week", "college", "generated_at", "sent_at")
    list_filter = ("college",)
    date_hierarchy = "week_start"
    # The figures are the history: written by the task and the command only.
    readonly_fields = ("week_start", "iso_week", "college", "data", "generated_at", "sent_at")

    def has_add_permission(self, request):
        return False
