from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from supportdesk import health


def home(request):
    """Desk staff start on the desk home page with the counts; others on the ticket list."""
    from tickets import roles

    try:
        if roles.is_desk(request.user):
            return redirect(reverse("tickets:home"))
        return redirect(reverse("tickets:list"))
    except NoReverseMatch:
        return render(request, "home.html")


def healthz(request):
    """200 when the database, the broker and the outbox are fine; 503 naming what is not."""
    checks = health.report()
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", **checks}, status=200 if ok else 503)
