from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from tickets.api import views

urlpatterns = [
    path("tickets/", views.TicketListCreate.as_view(), name="api-tickets"),
    path("tickets/<int:pk>/", views.TicketDetail.as_view(), name="api-ticket"),
    path("triage/", views.Triage.as_view(), name="api-triage"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
