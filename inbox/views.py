"""Views parse, call, render: the WeCom callback, the channel status page and
attachment downloads."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from inbox import state, status
from inbox.intake import receive_wecom
from inbox.models import Attachment, Source
from inbox.wecom import callback
from tickets import selectors

log = logging.getLogger(__name__)


@csrf_exempt  # WeCom signs its requests; it has no CSRF token
@require_http_methods(["GET", "POST"])
def wecom_callback(request):
    if not callback.configured():
        raise Http404
    try:
        if request.method == "GET":
            return HttpResponse(callback.verify_url(request.GET), content_type="text/plain")
        message = callback.read_message(request.GET, request.body)
    except callback.Rejected as exc:
        log.warning("WeCom callback rejected (%s): %s", exc.status, exc)
        return HttpResponse(status=exc.status)
    receive_wecom(message)
    state.succeeded(Source.WECOM)
    # An empty 200 tells WeCom the message arrived; no passive reply.
    return HttpResponse("", content_type="text/plain")


def channel_status(request):
    if not status.may_see(request.user):
        raise PermissionDenied
    return render(request, "inbox/status.html", {"channels": status.channels()})


def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment, pk=pk)
    # The ticket's own visibility rule (404 for a ticket the user may not see).
    selectors.ticket_detail(request.user, attachment.ticket_id)
    if not attachment.stored:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type="application/octet-stream",  # never rendered by the browser
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
