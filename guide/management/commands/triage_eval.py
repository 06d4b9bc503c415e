"""`manage.py triage_eval FILE.jsonl`: the engine's figures on labelled data.

Without --cv the engine is the shipped one (knowledge files + the model fitted
on guide/knowledge/labelled.jsonl): only meaningful on a FILE that model never
saw (the fresh batches under bench/triage/). With --cv every learned figure
comes from k-fold cross-validation on FILE: the model of each fold is fitted
on the seed phrasings and the other folds only (use it on dev + train).
"""

from django.core.management.base import BaseCommand, CommandError

from guide import training
from guide.triage import engine, knowledge
from guide.triage_eval import (
    DataError,
    engine_cv,
    engine_predictor,
    highest_threshold_covering,
    keyword_predictor,
    learning_curve,
    learning_curve_thirds,
    load_jsonl,
    ready_time,
    review_thresholds,
    score,
    taught,
    tfidf_lr_cv,
    throughput,
    tokenizer_comparison,
)

TARGETS = (
    ("category_accuracy", 0.96, "category"),
    ("route_accuracy", 0.96, "route"),
    ("both_accuracy", 0.94, "both right"),
    ("abstention_precision", 0.90, "abstention P"),
    ("abstention_recall", 0.85, "abstention R"),
    ("also_recall", 0.80, "also R"),
    ("auroc", 0.90, "AUROC"),
    ("unflagged_accuracy", 0.98, "unflagged both right"),
    ("unflagged_coverage", 0.80, "unflagged coverage"),
)


def _teaching_met(curve) -> bool:
    gain = dict(curve)
    if 0 not in gain or 150 not in gain:
        return False
    return gain[150] - gain[0] >= 0.02 or gain[150] >= 0.97


class Command(BaseCommand):
    help = "Scores the triage engine on a labelled JSONL file (issue 10's figures)."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help='labelled JSONL: {"id", "text", "category", "route", "also"} a line'
        )
        parser.add_argument(
            "--cv",
            action="store_true",
            help="k-fold cross-validation on FILE: each fold's model fitted on the others only",
        )
        parser.add_argument("--folds", type=int, default=5, help="CV folds (default 5)")
        parser.add_argument(
            "--learning-curve",
            action="store_true",
            help="accuracy after teaching 0/100/150/200/400 examples (from --pool, or "
            "each third of FILE in turn measured after teaching from the other two)",
        )
        parser.add_argument(
            "--pool", metavar="OTHER.jsonl", help="examples to teach for the learning curve"
        )
        parser.add_argument(
            "--tokenizers", action="store_true", help="compare char n-grams, jieba, concepts"
        )
        parser.add_argument("--no-baselines", action="store_true", help="skip the two baselines")
        parser.add_argument("--errors", action="store_true", help="list every wrong suggestion")

    def handle(
        self,
        *args,
        file,
        cv,
        folds,
        learning_curve,
        pool,
        tokenizers,
        no_baselines,
        errors,
        **options,
    ):
        try:
            rows = load_jsonl(file)
            pool_rows = load_jsonl(pool) if pool else None
        except (OSError, DataError) as error:
            raise CommandError(str(error)) from error
        if folds < 2 or folds > len(rows):
            raise CommandError("--folds must be between 2 and the number of messages")
        shipped = knowledge.from_files()
        if cv:
            predictions = engine_cv(rows, shipped, folds)
            how = f"{folds}-fold CV on this file (each fold's model fitted on the other folds)"
        else:
            texts = {r["text"] for r in rows}
            trained_on = {row[0] for row in training.training_rows(shipped)} & texts
            if shipped.model and trained_on:
                # the shipped model learned these messages: score a model that never saw the file
                predictor = engine_predictor(taught(shipped, [], exclude=texts))
                how = (
                    f"the shipped data refitted without this file ({len(trained_on)} of its "
                    "messages are shipped labelled examples)"
                )
            else:
                predictor = engine_predictor(shipped)
                how = (
                    f"shipped model ({shipped.model.meta.get('examples', 0)} examples, "
                    "none of them from this file)"
                    if shipped.model
                    else "rules only (no shipped model)"
                )
            predictions = [predictor(r["text"]) for r in rows]
        figures = score(rows, predictions)
        self.stdout.write(f"{len(rows)} labelled messages from {file}")
        self.stdout.write(f"engine: {how}")
        table = [("engine", figures)]
        if not no_baselines:
            table.append(
                (
                    "keyword matcher",
                    score(rows, [keyword_predictor(shipped)(r["text"]) for r in rows]),
                )
            )
            try:
                table.append(
                    (
                        f"tfidf char 1-3 + logreg ({folds}-fold CV)",
                        score(rows, tfidf_lr_cv(rows, folds)),
                    )
                )
            except ImportError:
                self.stdout.write("(scikit-learn not installed: pip install -e .[dev])")
        self._table(table)
        self._confidence(figures, predictions, rows)
        self.stdout.write("engine confusions (gold -> predicted: count):")
        for (gold, got), count in figures["confusions"] or [(("-", "-"), 0)]:
            self.stdout.write(f"  {gold} -> {got}: {count}" if count else "  none")

        rate = throughput(
            lambda text: engine.suggest_with(text, shipped), [r["text"] for r in rows]
        )
        ready = ready_time()
        self.stdout.write(
            f"throughput: {rate:,.0f} messages/s (one process, median of 5 runs); "
            f"ready {ready:.2f} s after import (fresh interpreter, no Django)"
        )
        missed = [
            label
            for key, target, label in TARGETS
            if figures.get(key) is None or figures[key] < target
        ]
        if rate < 5000:
            missed.append(">= 5,000 messages/s")
        if ready >= 1.0:
            missed.append("ready < 1 s")
        if learning_curve:
            curve = self._learning_curve(rows, pool_rows, shipped, cv)
            if not _teaching_met(curve):
                missed.append("teaching 150 >= +2 points")
        self.stdout.write(
            "targets (category, route >= 0.96, both >= 0.94, abstention P >= 0.90 R >= 0.85, "
            "also R >= 0.80, AUROC >= 0.90, unflagged >= 0.98 at >= 80% coverage, "
            ">= 5,000 messages/s, ready < 1 s"
            + (", teaching 150 >= +2 points or past 0.97" if learning_curve else "")
            + "): "
            + ("all met" if not missed else "NOT met: " + ", ".join(missed))
        )
        if tokenizers:
            self.stdout.write(f"tokenizers (TF-IDF + logreg, {folds}-fold CV, category accuracy):")
            for name, accuracy in tokenizer_comparison(rows, shipped, folds):
                shown = "not installed" if accuracy is None else f"{accuracy:.3f}"
                self.stdout.write(f"  {name:18s} {shown}")
        if errors:
            for row, (category, route, _also, confidence, review) in zip(
                rows, predictions, strict=True
            ):
                if (category, route) != (row["category"], row["route"]):
                    self.stdout.write(
                        f"  {row['id']}: {row['category']}/{row['route']} got {category}/{route} "
                        f"({confidence:.2f}{' 请核对' if review else ''}) {row['text'][:70]}"
                    )

    def _table(self, table):
        def pct(value):
            return "   -  " if value is None else f"{value:6.3f}"

        self.stdout.write("")
        self.stdout.write(
            f"{'model':38s} {'categ':>6s} {'route':>6s} {'both':>6s} "
            f"{'abst.P':>6s} {'abst.R':>6s} {'also.R':>6s}"
        )
        for name, f in table:
            self.stdout.write(
                f"{name:38s} {pct(f['category_accuracy'])} {pct(f['route_accuracy'])} "
                f"{pct(f['both_accuracy'])} {pct(f['abstention_precision'])} "
                f"{pct(f['abstention_recall'])} {pct(f['also_recall'])}"
            )

    def _confidence(self, figures, predictions, rows):
        auroc = figures["auroc"]
        self.stdout.write(
            f"confidence: AUROC {'-' if auroc is None else f'{auroc:.3f}'} (both right vs not), "
            f"expected calibration error {figures['ece'] or 0:.3f}"
        )
        for low, high, count, accuracy, mean in figures["calibration"]:
            self.stdout.write(
                f"  confidence {low:.1f}-{high:.1f}: {count:4d} messages, both right "
                f"{accuracy:.2f}, mean confidence {mean:.2f}"
            )
        coverage, accuracy = figures["unflagged_coverage"], figures["unflagged_accuracy"]
        if coverage is not None:
            self.stdout.write(
                f"not flagged 请核对 (confidence >= {engine.REVIEW_BELOW}): {coverage:.1%} of "
                f"messages, both right {'-' if accuracy is None else f'{accuracy:.3f}'}"
            )
        rights = [
            (p[0], p[1]) == (r["category"], r["route"])
            for p, r in zip(predictions, rows, strict=True)
        ]
        self.stdout.write("  threshold: coverage, both right of the unflagged")
        confidences = [p[3] for p in predictions]
        for threshold, share, kept in review_thresholds(confidences, rights):
            self.stdout.write(
                f"  {threshold:.2f}: {share:.1%}, {'-' if kept is None else f'{kept:.3f}'}"
            )
        highest = highest_threshold_covering(confidences, rights)
        if highest is not None:
            threshold, share, kept = highest
            self.stdout.write(
                f"  the highest threshold leaving >= 80% unflagged: {threshold:.2f} "
                f"({share:.1%}, both right {'-' if kept is None else f'{kept:.3f}'})"
            )

    def _learning_curve(self, rows, pool_rows, shipped, cv):
        if pool_rows is not None:
            where = "this file, teaching from --pool"
        else:
            where = "each third of this file in turn, teaching from the other two"
        self.stdout.write(
            f"learning curve (both right on {where}; 0 = the engine fitted without the "
            "taught pool or the measured part, then each size taught as the desk teaches: "
            "desk weight, and near-duplicates of the taught examples adopted):"
        )
        if pool_rows is not None:
            curve = learning_curve(shipped, pool_rows, rows)
        else:
            curve = learning_curve_thirds(shipped, rows)
        for size, accuracy in curve:
            self.stdout.write(f"  taught {size:4d}: {accuracy:.3f}")
        gain = dict(curve)
        if 0 in gain and 150 in gain:
            self.stdout.write(
                f"  teaching 150: {100 * (gain[150] - gain[0]):+.1f} points "
                "(target +2, or past 0.97)"
            )
        self.stdout.write(f"  (the model's inverse regularisation C = {training.C})")
        return curve
