from django.urls import path

from tickets import desk_views, views

app_name = "tickets"
urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("home/", desk_views.desk_home, name="home"),
    path("similar/", desk_views.similar_groups, name="similar"),
    path("bulk/", desk_views.bulk_action, name="bulk"),
    path("bulk/<int:pk>/", desk_views.bulk_job, name="bulk-job"),
    path("bulk/<int:pk>/progress/", desk_views.bulk_job_progress, name="bulk-job-progress"),
    path("suggest/", views.ticket_suggest, name="suggest"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.ticket_action, name="action"),
]
