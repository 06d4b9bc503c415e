from django.conf import settings
from django.shortcuts import get_object_or_404, render

from guide.models import FaqCategory
from guide.selectors import guide_categories, guide_sections


def guide_index(request):
    return render(
        request,
        "guide/index.html",
        {"sections": guide_sections(), "categories": guide_categories(), **_contacts()},
    )


def category_detail(request, code):
    category = get_object_or_404(FaqCategory.objects.with_steps(), code=code)
    return render(request, "guide/category.html", {"category": category, **_contacts()})


def _contacts() -> dict:
    return {"info_phone": settings.INFO_CENTER_PHONE, "info_email": settings.INFO_CENTER_EMAIL}
