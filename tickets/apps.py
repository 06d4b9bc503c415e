from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("工单")

    def ready(self):
        # Registers the ticket permission rules with the `rules` backend.
        from tickets import permissions  # noqa: F401
