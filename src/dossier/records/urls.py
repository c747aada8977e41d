from django.urls import path

from dossier.records import (
    views,
    views_files,
    views_intake,
    views_loans,
    views_manage,
    views_numbering,
    views_pdf,
)

app_name = "records"
urlpatterns = [
    path("", views.classes, name="classes"),
    path("codes/", views.codes, name="codes"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views_intake.case_file_view, name="case_file"),
    path("cases/batch/", views_intake.cases_batch_view, name="cases_batch"),
    path(
        "cases/<int:case_id>/refile/",
        views_intake.case_refile_view,
        name="case_refile",
    ),
    path(
        "cases/<int:case_id>/original-return/",
        views_intake.original_return_view,
        name="original_return",
    ),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/loan/", views.loan_create, name="loan_create"),
    path("codes.pdf", views_pdf.codes, name="codes_pdf"),
    path("scheme/", views_manage.scheme_versions, name="scheme_versions"),
    path("scheme/revise/", views_manage.scheme_revise_view, name="scheme_revise"),
    path("scheme/start/", views_numbering.scheme_start_view, name="scheme_start"),
    path(
        "scheme/<int:version_id>/mapping/",
        views_manage.scheme_mapping,
        name="scheme_mapping",
    ),
    path("trash/", views_manage.trash, name="trash"),
    path("cases/<int:case_id>/trash/", views_manage.case_trash_view, name="case_trash"),
    path(
        "cases/<int:case_id>/restore/",
        views_manage.case_restore_view,
        name="case_restore",
    ),
    path("holds/", views_manage.holds, name="holds"),
    path("cases/<int:case_id>/hold/", views_manage.hold_place_view, name="hold_place"),
    path(
        "holds/<int:hold_id>/release/",
        views_manage.hold_release_view,
        name="hold_release",
    ),
    path("retention/", views_manage.schedules, name="schedules"),
    path(
        "retention/preset/",
        views_manage.schedule_from_preset_view,
        name="schedule_preset",
    ),
    path("retention/<int:schedule_id>/", views_manage.schedule_detail, name="schedule"),
    path(
        "retention/items/<int:item_id>/",
        views_manage.retention_item_edit,
        name="retention_item",
    ),
    path(
        "disposal/<int:register_id>/entries/<int:entry_id>/part/",
        views.register_entry_part,
        name="register_entry_part",
    ),
    path("cases.pdf", views_pdf.catalogue, name="catalogue_pdf"),
    path(
        "cases/<int:case_id>/slips/<int:slip_id>.pdf",
        views_pdf.return_slip,
        name="return_slip_pdf",
    ),
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
    path("numbering/", views_numbering.numbering, name="numbering"),
    path(
        "numbering/template/",
        views_numbering.template_choose_view,
        name="template_choose",
    ),
    path(
        "numbering/capacity/",
        views_numbering.capacity_set_view,
        name="capacity_set",
    ),
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
    path("loans/approvals/", views_loans.loan_approvals, name="loan_approvals"),
    path(
        "loans/<int:loan_id>/approve/",
        views_loans.loan_approve_view,
        name="loan_approve",
    ),
    path(
        "loans/<int:loan_id>/refuse/",
        views_loans.loan_refuse_view,
        name="loan_refuse",
    ),
    path(
        "loans/<int:loan_id>/withdraw/",
        views_loans.loan_withdraw_view,
        name="loan_withdraw",
    ),
    path(
        "loans/<int:loan_id>/hand-out/",
        views_loans.loan_hand_out_view,
        name="loan_hand_out",
    ),
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
