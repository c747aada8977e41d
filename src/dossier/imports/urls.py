from django.urls import path

from dossier.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:job_id>/", views.preview, name="preview"),
    path("<int:job_id>/commit/", views.commit, name="commit"),
    path("<int:job_id>/progress/", views.progress, name="progress"),
]
