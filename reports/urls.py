from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report, name="report"),
    path("history/", views.history, name="history"),
    path("rebuild/", views.rebuild, name="rebuild"),
    path("email/", views.email_preview, name="email_preview"),
    path("export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
]
