from django.urls import path

from dossier.search import views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("saved/", views.saved_create, name="saved_create"),
    path("saved/<int:saved_id>/", views.saved_run, name="saved_run"),
    path("saved/<int:saved_id>/delete/", views.saved_delete, name="saved_delete"),
]
