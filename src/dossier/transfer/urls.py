from django.urls import path

from dossier.transfer import views

app_name = "transfer"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("sent/", views.sent, name="sent"),
    path("send/", views.send, name="send"),
    path("<int:delivery_id>/", views.delivery_detail, name="delivery"),
]
