"""The triage engine's database adapter: the only module that reads or writes
the engine's knowledge in the database (guide.triage itself is plain Python).

- `load()` builds a Knowledge from the categories table (answers, routes and
  the admin's local overrides), the desk's labelled examples and the latest
  fitted model;
- `version()` is the cheap stamp every process compares every 2 s (it covers
  the admin-set thresholds too, guide.models.TriageSettings);
- `record_correction()` stores a desk correction and queues a retrain.

Local overrides: a category's `keywords` or `example_phrasings` field that a
person changed in the admin is local and rules (`FaqCategory.local_fields`,
which the admin sets and drops); a field not overridden keeps following the
shipped guide/knowledge files, so shipped updates still reach it.
"""

import logging

from django.db import transaction
from django.db.models import Count, Max
from django.dispatch import Signal

from guide.categories import ABSTAIN_CATEGORY
from guide.models import FaqCategory, LabelledExample, Route, TriageModel, TriageSettings
from guide.triage import files, knowledge
from guide.triage.engine import Thresholds
from guide.triage.model import LinearModel, is_current
from guide.triage.model import shipped as shipped_model
from supportdesk.privacy import mask_id_numbers

log = logging.getLogger(__name__)

# sent in the transaction that adds labelled examples; guide.apps connects the
# model refit (guide.tasks.queue_retrain, an outbox row) to it
examples_changed = Signal()

MAX_TEXT = 4000  # the engine reads no further; keeps the index small
LOCAL_FIELDS = ("keywords", "example_phrasings")


def version() -> tuple:
    history = FaqCategory.history.aggregate(m=Max("history_id"))["m"]
    labelled = LabelledExample.objects.aggregate(m=Max("id"), n=Count("id"))
    model = TriageModel.objects.aggregate(m=Max("id"))["m"]
    limits = TriageSettings.history.aggregate(m=Max("history_id"))["m"]
    return (history, labelled["m"], labelled["n"], model, limits)


def thresholds() -> Thresholds:
    """The thresholds the admin set (the settings' defaults until then)."""
    row = TriageSettings.current()
    return Thresholds(
        waited_long_days=row.waited_long_days,
        deadline_near_days=row.deadline_near_days,
        review_below=row.review_below,
    )


def locally_overridden() -> dict[str, set[str]]:
    """code -> the knowledge fields overridden locally (all of them for a
    category the shipped files do not have)."""
    return {
        code: set(LOCAL_FIELDS) if code not in files.SHIPPED.categories else set(local)
        for code, local in FaqCategory.objects.values_list("code", "local_fields")
        if local or code not in files.SHIPPED.categories
    }


# The parsed weights of the newest row, by (id, created_at): an id alone comes
# back after a rollback (SQLite reuses it), and a cached model then stood for
# another row's weights.
_model_cache: dict[tuple, LinearModel] = {}
_stale_logged: set[int] = set()  # a stale row is reported once per process


def latest_model() -> LinearModel | None:
    """The newest stored model, unless it was fitted for other knowledge files
    or features (an older release's): then None, and the shipped model scores
    until the refit `migrate` asked for (guide.tasks.refit_if_stale)."""
    row = (
        TriageModel.objects.order_by("-id").values("id", "created_at", "weights", "figures").first()
    )
    if row is None:
        return None
    if not is_current(row["figures"]):
        if row["id"] not in _stale_logged:
            _stale_logged.add(row["id"])
            log.warning("triage model #%s was fitted for other knowledge; not used", row["id"])
        return None
    key = (row["id"], row["created_at"])
    if key not in _model_cache:
        _model_cache.clear()
        _model_cache[key] = LinearModel.from_json(row["weights"])
    return _model_cache[key]


def load() -> knowledge.Knowledge:
    stamp = version()
    shipped = files.SHIPPED
    categories, examples = {}, []
    for row in FaqCategory.objects.in_guide_order():
        spec = shipped.categories.get(row.code)
        local = set(row.local_fields or ()) if spec else set(LOCAL_FIELDS)
        rule_lines = (
            row.keywords.splitlines() if "keywords" in local else (spec.rules if spec else [])
        )
        phrasings = (
            row.example_phrasings.splitlines()
            if "example_phrasings" in local
            else (spec.phrasings if spec else [])
        )
        rules = []
        for line in rule_lines:
            if line.strip() and not line.strip().startswith("#"):
                try:
                    rules.append(files.parse_rule(line, shipped.tags))
                except files.KnowledgeError as error:  # saved before validation existed
                    log.warning("category %s: keyword rule skipped: %s", row.code, error)
        categories[row.code] = knowledge.CategoryInfo(
            row.code,
            row.default_route,
            row.other_route or "",
            row.answer,
            row.other_route_answer or "",
            rules,
            spec.condition if spec else None,
        )
        examples += knowledge.seed_examples(row.code, row.default_route, phrasings)
    if not categories:
        raise LookupError("the categories table is empty")
    rows = LabelledExample.objects.order_by("-id").values_list("text", "category", "route")[
        : knowledge.MAX_EXAMPLES
    ]
    examples += [
        knowledge.Example(text, category, route, 1.0)
        for text, category, route in rows
        if category in categories or category == ABSTAIN_CATEGORY
    ]
    model = latest_model() or shipped_model()
    return knowledge.Knowledge(
        categories, examples, version=stamp, model=model, thresholds=thresholds()
    )


def record_correction(
    *, text: str, category: str, route: str, ticket_id: int | None = None, user=None
) -> None:
    """Store `text` as an example of `category` handled by `route`, in the
    caller's transaction; on commit this process rechecks its knowledge (the
    nearest-example index fixes near-duplicates at once) and the refit of the
    model that examples_changed asked for is delivered off the request path
    (every process picks the new model up within 2 s of its fit)."""
    text = mask_id_numbers((text or "").strip())  # never an ID-card number in an example
    if not FaqCategory.objects.filter(code=category).exists():
        raise ValueError(f"unknown category code: {category!r}")
    if route not in Route.values:
        raise ValueError(f"unknown route: {route!r}")
    if not text:
        return  # nothing to learn from
    LabelledExample.objects.create(
        text=text[:MAX_TEXT],
        category=category,
        route=route,
        ticket_id=ticket_id,
        created_by=user if getattr(user, "pk", None) else None,
        source=LabelledExample.Source.CORRECTION,
    )
    transaction.on_commit(knowledge.recheck)
    # in this transaction: the refit it asks for is an outbox row committed with the example
    examples_changed.send(sender=LabelledExample)
