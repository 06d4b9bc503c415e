from django.urls import path

from inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.channel_status, name="status"),
    path("wecom/callback/", views.wecom_callback, name="wecom_callback"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
