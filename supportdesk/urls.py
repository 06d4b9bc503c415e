from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from supportdesk import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Sign-in and password change only: accounts are given by an administrator,
    # who also resets a forgotten password (no self-service reset by mail).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
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
