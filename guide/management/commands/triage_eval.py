"""`manage.py triage_eval FILE.jsonl`: the engine's figures on labelled data,
next to a keyword matcher and a TF-IDF + logistic regression baseline."""

from django.core.management.base import BaseCommand, CommandError

from guide.triage import evaluation, knowledge

TARGETS = {"category_accuracy": 0.95, "route_accuracy": 0.93, "abstention_precision": 0.9}


class Command(BaseCommand):
    help = "Scores the triage engine on a labelled JSONL file against two baselines."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help='labelled JSONL: {"id", "text", "category", "route", "also"} a line'
        )
        parser.add_argument(
            "--folds", type=int, default=5, help="cross-validation folds (default 5)"
        )
        parser.add_argument(
            "--corrections",
            action="store_true",
            help="also measure learning from desk corrections (k-fold, unseen messages)",
        )
        parser.add_argument(
            "--tokenizers",
            action="store_true",
            help="also compare char n-grams, jieba words and lexicon concepts",
        )
        parser.add_argument(
            "--feed",
            metavar="OTHER.jsonl",
            help="also measure FILE after feeding OTHER.jsonl as desk corrections "
            "(texts that are in FILE are not fed)",
        )
        parser.add_argument("--no-baselines", action="store_true", help="skip the two baselines")
        parser.add_argument(
            "--errors", action="store_true", help="list every message the engine got wrong"
        )

    def handle(
        self,
        *args,
        file,
        folds,
        corrections,
        tokenizers,
        no_baselines,
        errors,
        feed=None,
        **options,
    ):
        try:
            rows = evaluation.load_jsonl(file)
        except (OSError, evaluation.DataError) as error:
            raise CommandError(str(error)) from error
        if folds < 2 or folds > len(rows):
            raise CommandError("--folds must be between 2 and the number of messages")
        kb = knowledge.current()
        # the engine as deployed, minus labelled examples: anything learned
        # from this file is measured under cross-validation below
        base = evaluation.index_without_corrections(kb)
        predict = evaluation.engine_predictor(base)
        predictions = [predict(r["text"]) for r in rows]
        engine_figures = evaluation.score(rows, predictions)
        rate = evaluation.throughput(predict, [r["text"] for r in rows])

        self.stdout.write(f"{len(rows)} labelled messages from {file}")
        self.stdout.write(
            f"knowledge: {len(base.codes)} categories, "
            f"{sum(len(i.rules) for i in base.categories.values())} keyword rules, "
            f"{len(base.examples.examples)} seed phrasings (corrections excluded)"
        )
        table = [("engine", engine_figures)]
        if not no_baselines:
            table.append(
                (
                    "keyword matcher",
                    evaluation.score(
                        rows, [evaluation.keyword_predictor(base)(r["text"]) for r in rows]
                    ),
                )
            )
            try:
                table.append(
                    (
                        f"tfidf char 1-3 + logreg ({folds}-fold CV)",
                        evaluation.score(rows, evaluation.tfidf_lr_cv(rows, folds)),
                    )
                )
            except ImportError:
                self.stdout.write(
                    "(scikit-learn not installed: pip install -e .[dev] for the TF-IDF baseline)"
                )
        self._table(table)

        self.stdout.write("")
        self.stdout.write(
            f"engine throughput: {rate:,.0f} messages/s (one process, median of 5 runs)"
        )
        ece = engine_figures["ece"]
        self.stdout.write(f"engine calibration: expected calibration error {ece:.3f}")
        for low, high, count, accuracy, confidence in engine_figures["calibration"]:
            if count:
                self.stdout.write(
                    f"  confidence {low:.1f}-{high:.1f}: {count:4d} messages, "
                    f"accuracy {accuracy:.2f}, mean confidence {confidence:.2f}"
                )
        self.stdout.write("engine confusions (gold -> predicted: count):")
        for (gold, got), count in engine_figures["confusions"] or [(("-", "-"), 0)]:
            self.stdout.write(f"  {gold} -> {got}: {count}" if count else "  none")
        if errors:
            for row, (category, route, _also, confidence) in zip(rows, predictions, strict=True):
                if (category, route) != (row["category"], row["route"]):
                    self.stdout.write(
                        f"  {row['id']}: {row['category']}/{row['route']} got "
                        f"{category}/{route} ({confidence:.2f}) {row['text'][:60]}"
                    )

        met = all((engine_figures[key] or 0) >= target for key, target in TARGETS.items())
        ahead = all(
            engine_figures["category_accuracy"] > figures["category_accuracy"]
            and engine_figures["route_accuracy"] > figures["route_accuracy"]
            for _name, figures in table[1:]
        )
        self.stdout.write(
            f"targets (category >= 0.95, route >= 0.93, abstention precision >= 0.9): "
            f"{'met' if met else 'NOT met'}; ahead of both baselines: {'yes' if ahead else 'no'}; "
            f">= 5,000 messages/s: {'yes' if rate >= 5000 else 'no'}"
        )

        if corrections:
            self._corrections(rows, base, folds)
        if feed:
            self._feed(rows, base, feed)
        if tokenizers:
            self.stdout.write("")
            self.stdout.write(
                f"tokenizers (TF-IDF + logistic regression, {folds}-fold CV, category accuracy):"
            )
            for name, accuracy in evaluation.tokenizer_comparison(rows, base, folds):
                self.stdout.write(
                    f"  {name:18s} {'not installed' if accuracy is None else f'{accuracy:.3f}'}"
                )

    def _table(self, table):
        def pct(value):
            return "   -  " if value is None else f"{value:6.3f}"

        self.stdout.write("")
        self.stdout.write(
            f"{'model':42s} {'categ':>6s} {'route':>6s} "
            f"{'abst.P':>6s} {'abst.R':>6s} {'also.R':>6s}"
        )
        for name, f in table:
            self.stdout.write(
                f"{name:42s} {pct(f['category_accuracy'])} {pct(f['route_accuracy'])} "
                f"{pct(f['abstention_precision'])} {pct(f['abstention_recall'])} "
                f"{pct(f['also_recall'])}"
            )

    def _feed(self, rows, base, feed):
        try:
            fed = evaluation.load_jsonl(feed)
        except (OSError, evaluation.DataError) as error:
            raise CommandError(str(error)) from error
        measured = {row["text"] for row in rows}
        fed = [row for row in fed if row["text"] not in measured]
        self.stdout.write("")
        self.stdout.write(
            f"after feeding {len(fed)} corrections from {feed} (none of them measured):"
        )
        for name, kb in (
            ("engine", base),
            ("engine + corrections", evaluation.with_examples(base, fed)),
        ):
            predict = evaluation.engine_predictor(kb)
            figures = evaluation.score(rows, [predict(row["text"]) for row in rows])
            self.stdout.write(
                f"  {name:22s} category {figures['category_accuracy']:.3f}  "
                f"route {figures['route_accuracy']:.3f}"
            )

    def _corrections(self, rows, base, folds):
        self.stdout.write("")
        self.stdout.write(
            f"learning from corrections ({folds}-fold: the other folds fed as desk corrections, "
            "accuracy on the held-out messages, never fed):"
        )
        self.stdout.write(
            f"  {'engine':44s} {'fed':>5s} {'categ':>6s} {'route':>6s} {'abst.P':>6s}"
        )
        for r in evaluation.corrections_experiment(rows, base, folds):
            name = (
                "no keyword rules, no seed phrasings"
                if r["learned_only"]
                else "full engine (rules + seed phrasings)"
            )
            precision = r["abstention_precision"]
            self.stdout.write(
                f"  {name:44s} {r['fed_fraction']:5.0%} "
                f"{r['category_accuracy']:6.3f} {r['route_accuracy']:6.3f} "
                f"{'   -  ' if precision is None else f'{precision:6.3f}'}"
            )
