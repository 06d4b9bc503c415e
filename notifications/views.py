from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from notifications import services
from notifications.models import Notification


def notification_list(request):
    rows = (
        Notification.objects.filter(recipient=request.user)
        .select_related("ticket", "event", "event__actor")
        .order_by("-created_at", "-id")[:100]
    )
    return render(request, "notifications/list.html", {"rows": rows})


def notification_open(request, pk):
    """Mark one as read and go to its ticket."""
    row = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(request.user, [row.pk])
    return redirect(row.ticket)


@require_POST
def notification_read_all(request):
    services.mark_read(request.user)
    return redirect("notifications:list")
