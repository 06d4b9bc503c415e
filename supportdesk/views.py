from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse


def home(request):
    """The desk's start page: the ticket list once the ticket app provides it."""
    try:
        return redirect(reverse("tickets:list"))
    except NoReverseMatch:
        return render(request, "home.html")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
