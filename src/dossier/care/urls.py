from django.urls import path

from dossier.care import views

app_name = "care"
urlpatterns = [
    path("tasks/", views.tasks, name="tasks"),
    path(
        "guests/<int:guest_id>/consents/",
        views.consent_add_view,
        name="consent_add",
    ),
    path("tasks/<int:task_id>/close/", views.task_close_view, name="task_close"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("runs/", views.runs, name="runs"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_edit, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path(
        "campaigns/<int:campaign_id>/edit/",
        views.campaign_edit,
        name="campaign_edit",
    ),
    path(
        "campaigns/<int:campaign_id>/<str:action>/",
        views.campaign_action,
        name="campaign_action",
    ),
]
