from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("周报")

    def ready(self):
        # Registers the report rules (`rules` keeps them in a module-level registry).
        from reports import permissions  # noqa: F401
