from django.contrib import admin
from django.urls import include, path

from supportdesk import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("guide/", include("guide.urls")),
    path("reports/", include("reports.urls")),
    path("tickets/", include("tickets.urls")),
    path("imports/", include("imports.urls")),
    path("channels/", include("inbox.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", include("tickets.api.urls")),
]

handler404 = "supportdesk.badinput.not_found"
