from django.urls import URLPattern, path

from dossier.personnel import views

app_name = "personnel"
urlpatterns: list[URLPattern] = [
    path("", views.file_list, name="files"),
    path("files/new/", views.file_create, name="file_create"),
    path("files/<int:file_id>/", views.file_detail, name="file_detail"),
    path("files/<int:file_id>/edit/", views.file_edit, name="file_edit"),
    path("files/<int:file_id>/reveal/", views.file_reveal, name="file_reveal"),
    path("files/<int:file_id>/sign-out/", views.sign_out_start, name="sign_out_start"),
    path("sign-outs/<int:sign_out_id>/", views.sign_out_detail, name="sign_out"),
    path(
        "sign-outs/<int:sign_out_id>/check/",
        views.sign_out_check_view,
        name="sign_out_check",
    ),
    path(
        "sign-outs/<int:sign_out_id>/hand-over/",
        views.sign_out_hand_over_view,
        name="sign_out_hand_over",
    ),
    path(
        "sign-outs/<int:sign_out_id>/receipt/",
        views.receipt_record_view,
        name="receipt_record",
    ),
    path(
        "sign-outs/<int:sign_out_id>/cancel/",
        views.sign_out_cancel_view,
        name="sign_out_cancel",
    ),
    path(
        "sign-outs/<int:sign_out_id>/print/",
        views.sign_out_receipt,
        name="sign_out_print",
    ),
    path("register/", views.register, name="register"),
    path("receipts/", views.receipts, name="receipts"),
    path("receipts/policy/", views.policy_set, name="policy"),
]
