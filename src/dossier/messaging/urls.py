from django.urls import path

from dossier.messaging import views

app_name = "messaging"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:reply_id>/handled/", views.reply_handled, name="reply_handled"),
    path("preview/", views.preview, name="preview"),
    path("sms/callback/", views.sms_callback, name="sms_callback"),
]
