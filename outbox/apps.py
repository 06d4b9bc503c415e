from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("待发送事务")

    def ready(self):
        # Each app's outbox_handlers.py registers the kinds it delivers.
        autodiscover_modules("outbox_handlers")
