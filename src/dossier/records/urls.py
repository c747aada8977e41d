from django.urls import path

from dossier.records import views, views_pdf

app_name = "records"
urlpatterns = [
    path("", views.classes, name="classes"),
    path("codes/", views.codes, name="codes"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_file_view, name="case_file"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/loan/", views.loan_create, name="loan_create"),
    path("codes.pdf", views_pdf.codes, name="codes_pdf"),
    path("cases.pdf", views_pdf.catalogue, name="catalogue_pdf"),
    path("folders/spines.pdf", views_pdf.spines, name="spines_pdf"),
    path(
        "folders/<int:folder_id>/contents.pdf",
        views_pdf.folder_contents,
        name="folder_pdf",
    ),
    path(
        "disposal/<int:register_id>/register.pdf",
        views_pdf.register,
        name="register_pdf",
    ),
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
]
