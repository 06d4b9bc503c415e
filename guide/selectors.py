from guide.models import FaqCategory, GuideSection


def guide_sections():
    return GuideSection.objects.prefetch_related("steps")


def guide_categories():
    return FaqCategory.objects.in_guide_order().with_steps()
