from django.urls import path

from dossier.guests import views

app_name = "guests"
urlpatterns = [
    path("<int:guest_id>/", views.guest_detail, name="detail"),
]
