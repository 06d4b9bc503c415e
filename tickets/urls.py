from django.urls import path

from tickets import views

app_name = "tickets"
urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("suggest/", views.ticket_suggest, name="suggest"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.ticket_action, name="action"),
]
