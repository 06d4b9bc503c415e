from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    name = "guide"
    verbose_name = _("激活指南")

    def ready(self):
        # the engine reads its knowledge from the database from now on (the
        # admin-set thresholds included: they travel with it, no module globals)
        from guide import knowledge_store, tasks
        from guide.triage import knowledge

        knowledge.configure(knowledge_store.load, knowledge_store.version)
        knowledge_store.examples_changed.connect(tasks.queue_retrain, dispatch_uid="triage-refit")
        post_migrate.connect(tasks.refit_if_stale, sender=self, dispatch_uid="triage-refit-stale")
