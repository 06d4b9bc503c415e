from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
    path("<int:pk>/errors.csv", views.job_errors_csv, name="errors_csv"),
    path("<int:pk>/resume/", views.job_resume, name="resume"),
]
