from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from tickets.api import desk_views, views

urlpatterns = [
    path("tickets/", views.TicketListCreate.as_view(), name="api-tickets"),
    path("tickets/<int:pk>/", views.TicketDetail.as_view(), name="api-ticket"),
    path("tickets/bulk/", desk_views.TicketBulk.as_view(), name="api-tickets-bulk"),
    path("tickets/bulk/<int:pk>/", desk_views.TicketBulkJob.as_view(), name="api-bulk-job"),
    path("tickets/<int:pk>/merge/", desk_views.TicketMerge.as_view(), name="api-ticket-merge"),
    path("tickets/<int:pk>/actions/", views.TicketActions.as_view(), name="api-ticket-actions"),
    path("triage/", views.Triage.as_view(), name="api-triage"),
    # The schema maps the API for an attacker too: signed-in callers only.
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="api-schema",
    ),
]
