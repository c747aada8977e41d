from django.urls import path

from dossier.banquets import views

app_name = "banquets"
urlpatterns = [
    path(
        "guest/<int:owner_id>/",
        views.owner_menus,
        {"kind": "guest"},
        name="guest",
    ),
    path(
        "company/<int:owner_id>/",
        views.owner_menus,
        {"kind": "company"},
        name="company",
    ),
    path("menus/<int:menu_id>/", views.menu_detail, name="menu"),
    path("menus/<int:menu_id>/edit/", views.menu_edit, name="menu_edit"),
    path("menus/<int:menu_id>/print/", views.menu_print, name="menu_print"),
    path("dishes/<int:line_id>/remove/", views.dish_remove, name="dish_remove"),
    path(
        "dishes/<int:line_id>/evaluate/", views.dish_evaluate_view, name="dish_evaluate"
    ),
]
