from django.urls import path

from dossier.records import views, views_files

app_name = "records"
urlpatterns = [
    path("", views.classes, name="classes"),
    path("codes/", views.codes, name="codes"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_file_view, name="case_file"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/loan/", views.loan_create, name="loan_create"),
    path("folders/", views.folder_list, name="folders"),
    path("folders/<int:folder_id>/", views.folder_detail, name="folder"),
    path("disposal/", views.disposal, name="disposal"),
    path("disposal/propose/", views.disposal_propose, name="disposal_propose"),
    path("disposal/<int:register_id>/", views.register_detail, name="register"),
    path(
        "disposal/<int:register_id>/approve/",
        views.register_approve_view,
        name="register_approve",
    ),
    path(
        "disposal/<int:register_id>/execute/",
        views.register_execute_view,
        name="register_execute",
    ),
    path("loans/", views.loans, name="loans"),
    path("loans/<int:loan_id>/return/", views.loan_return_view, name="loan_return"),
    path(
        "cases/<int:case_id>/files/",
        views_files.attachment_list,
        name="attachments",
    ),
    path(
        "cases/<int:case_id>/files/<int:attachment_id>/",
        views_files.attachment_versions,
        name="attachment",
    ),
    path(
        "cases/<int:case_id>/files/<int:attachment_id>/download/",
        views_files.attachment_download,
        name="attachment_download",
    ),
    path(
        "cases/<int:case_id>/files/<int:attachment_id>/preview/",
        views_files.attachment_preview,
        name="attachment_preview",
    ),
    path(
        "cases/<int:case_id>/files/<int:attachment_id>/thumbnail/",
        views_files.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path(
        "classes/<int:class_id>/access/",
        views_files.class_access,
        name="class_access",
    ),
]
