from django.urls import path

from dossier.classes import views

app_name = "classes"
urlpatterns = [
    path("", views.policy, name="policy"),
    path("recompute/", views.recompute, name="recompute"),
    path("key-guests/", views.key_guests, name="key_guests"),
    path("export/", views.class_export, name="export"),
    path("export/<str:what>/", views.changes_export, name="export_list"),
    path("guests/<int:guest_id>/", views.guest_class, name="guest"),
]
