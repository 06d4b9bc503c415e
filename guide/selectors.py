from guide.models import FaqCategory, GuideSection


def guide_sections():
    return GuideSection.objects.prefetch_related("steps")


def guide_categories():
    return FaqCategory.objects.in_guide_order().with_steps()


def category_codes() -> list[str]:
    """The codes of the categories table, in the guide's order."""
    return list(FaqCategory.objects.in_guide_order().values_list("code", flat=True))
