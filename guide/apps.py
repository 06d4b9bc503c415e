from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    name = "guide"
    verbose_name = _("激活指南")

    def ready(self):
        # the engine reads its knowledge from the database from now on
        from django.conf import settings

        from guide import knowledge_store, tasks
        from guide.triage import engine, knowledge, scope

        knowledge.configure(knowledge_store.load, knowledge_store.version)
        knowledge_store.examples_changed.connect(tasks.queue_retrain, dispatch_uid="triage-refit")
        engine.REVIEW_BELOW = getattr(settings, "TRIAGE_REVIEW_BELOW", engine.REVIEW_BELOW)
        scope.WAITED_LONG_DAYS = getattr(
            settings, "TRIAGE_WAITED_LONG_DAYS", scope.WAITED_LONG_DAYS
        )
        scope.DEADLINE_NEAR_DAYS = getattr(
            settings, "TRIAGE_DEADLINE_NEAR_DAYS", scope.DEADLINE_NEAR_DAYS
        )
