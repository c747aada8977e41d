from django.urls import path

from dossier.guests import views

app_name = "guests"
urlpatterns = [
    path("", views.guest_list, name="list"),
    path("new/", views.guest_create_view, name="create"),
    path("<int:guest_id>/", views.guest_detail, name="detail"),
    path("<int:guest_id>/edit/", views.guest_edit, name="edit"),
    path("<int:guest_id>/preferences/", views.guest_preferences, name="preferences"),
    path("<int:guest_id>/dates/new/", views.special_date_add, name="special_date_add"),
    path(
        "<int:guest_id>/observations/new/",
        views.observation_add_view,
        name="observation_add",
    ),
    path(
        "observations/<int:observation_id>/review/",
        views.observation_review_view,
        name="observation_review",
    ),
    path(
        "documents/<int:document_id>/reveal/",
        views.document_reveal,
        name="document_reveal",
    ),
    path("companies/", views.company_list, name="companies"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<int:company_id>/", views.company_detail, name="company_detail"),
    path("companies/<int:company_id>/edit/", views.company_edit, name="company_edit"),
]
