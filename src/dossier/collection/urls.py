from django.urls import path

from dossier.collection import registration_views as cards
from dossier.collection import views

app_name = "collection"
urlpatterns = [
    path("quotas/", views.quota_dashboard, name="quotas"),
    path("quotas/settings/", views.quota_settings, name="quota_settings"),
    path("checklists/", views.checklist_list, name="checklists"),
    path("checklists/new/", views.checklist_edit, name="checklist_new"),
    path("checklists/<int:item_id>/", views.checklist_edit, name="checklist_edit"),
    path("quick/", views.quick_find, name="quick"),
    path("quick/<int:guest_id>/", views.quick_observe, name="quick_observe"),
    path("registrations/", cards.registration_list, name="registrations"),
    path(
        "registrations/<int:registration_id>/",
        cards.registration_detail,
        name="registration",
    ),
    path("registrations/new/<str:kind>/", cards.desk_form, name="desk_form"),
    path("cards/<str:kind>/print/", cards.card_print, name="card_print"),
    path("links/", cards.link_new, name="link_new"),
    path("links/<int:link_id>/close/", cards.link_close, name="link_close"),
    # Open without login (see core.middleware): the guest's own phone.
    path("r/<str:token>/", cards.public_form, name="public"),
]
