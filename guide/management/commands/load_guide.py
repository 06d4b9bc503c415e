from django.core.management.base import BaseCommand
from django.db import transaction

from guide.loading import load_guide
from guide.models import FaqCategory, GuideSection, GuideStep


class Command(BaseCommand):
    help = "Loads the activation guide and its FAQ categories; keeps answers edited in the admin."

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite-answers",
            action="store_true",
            help="also replace answer texts and matching knowledge edited in the admin",
        )

    @transaction.atomic
    def handle(self, *args, overwrite_answers=False, **options):
        load_guide(GuideSection, GuideStep, FaqCategory, overwrite_answers=overwrite_answers)
        self.stdout.write(
            f"guide: {GuideSection.objects.count()} sections, {GuideStep.objects.count()} steps, "
            f"{FaqCategory.objects.count()} categories"
        )
