from django.urls import path

from dossier.web import views

app_name = "web"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("lookup/", views.lookup, name="lookup"),
    path("healthz", views.healthz, name="healthz"),
]
