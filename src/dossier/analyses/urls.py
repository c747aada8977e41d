from django.urls import path

from dossier.analyses import views

app_name = "analyses"
urlpatterns = [
    path("", views.index, name="index"),
    path("cost-rates/", views.cost_rates, name="cost_rates"),
    path("<slug:slug>/", views.analysis, name="report"),
]
