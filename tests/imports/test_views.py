"""The import page: upload, preview, adjust the mapping, commit, progress."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dossier.core.models import AuditEvent
from dossier.guests.models import Guest
from dossier.imports.models import ImportJob, ImportStatus
from tests.imports.conftest import ID_ZHANG, csv_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    ["客人", "手机", "身份证号", "楼层"],
    ["张伟", "13812345678", ID_ZHANG, "8"],
    ["李娜", "1.38E+10", "", "9"],
]


def _upload(client: Client, rows: list[list[str]] = ROWS) -> ImportJob:
    upload = SimpleUploadedFile("guests.csv", csv_bytes(rows), content_type="text/csv")
    response = client.post(
        reverse("imports:upload"), {"kind": "guests", "file": upload}
    )
    assert response.status_code == 302
    job = ImportJob.objects.order_by("-pk").first()
    assert job is not None
    return job


def test_upload_preview_map_and_commit(client: Client, manager: User) -> None:
    # given a manager who uploads a file whose name column is not recognised
    client.force_login(manager)
    upload = SimpleUploadedFile("guests.csv", csv_bytes(ROWS), content_type="text/csv")
    response = client.post(
        reverse("imports:upload"), {"kind": "guests", "file": upload}
    )
    assert response.status_code == 400
    assert "找不到姓名列" in response.content.decode()

    # when the file has a name column, it is previewed
    rows = [["姓名", *ROWS[0][1:]], *ROWS[1:]]
    job = _upload(client, rows)
    page = client.get(reverse("imports:preview", args=[job.pk])).content.decode()

    # then the counts, the rejected row and the mapping form are shown
    assert re.search(r'data-count="created">1<', page)
    assert re.search(r'data-count="rejected">1<', page)
    assert "1.38E+10" in page
    assert 'name="col_3"' in page

    # when the floor column is mapped to notes and the preview run again
    mapping = {
        "col_0": "full_name",
        "col_1": "mobile",
        "col_2": "id_number",
        "col_3": "notes",
    }
    response = client.post(reverse("imports:preview", args=[job.pk]), mapping)
    job.refresh_from_db()
    assert response.status_code == 302
    assert job.mapping["楼层"] == "notes"

    # and committed, skipping the rejected row
    response = client.post(
        reverse("imports:commit", args=[job.pk]),
        {"skip_rejected": "1"},
        HTTP_HX_REQUEST="true",
    )

    # then the browser is sent to the page of the committed job
    preview_url = reverse("imports:preview", args=[job.pk])
    assert (response.status_code, response["HX-Redirect"]) == (200, preview_url)
    assert "已导入：新建 1，更新 0" in client.get(preview_url).content.decode()
    assert Guest.objects.get().notes == "8"
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED


def test_commit_refused_with_rejected_rows_writes_nothing(
    client: Client, manager: User
) -> None:
    client.force_login(manager)
    job = _upload(
        client, [["姓名", "手机"], ["张伟", "13812345678"], ["李娜", "1.38E+10"]]
    )

    response = client.post(reverse("imports:commit", args=[job.pk]))

    assert response.status_code == 302
    assert Guest.objects.count() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED


def test_every_rejected_row_can_be_downloaded(client: Client, manager: User) -> None:
    # given a file of 203 guests whose mobiles were read as numbers, and one good
    client.force_login(manager)
    rows = [["姓名", "手机"], ["张伟", "13812345678"]]
    rows += [[f"客人{n}", f"1.38E+{n % 9 + 1}"] for n in range(203)]
    job = _upload(client, rows)

    # when the preview is opened and its rejected rows downloaded
    page = client.get(reverse("imports:preview", args=[job.pk])).content.decode()
    response = client.get(reverse("imports:preview", args=[job.pk]), {"export": "csv"})

    # then the page shows the first 200 and offers them all; the download has each
    # with its file, row, column, value and reason, and is audited
    assert "只显示前 200 条，全部被拒绝的行可下载" in page
    assert "?export=csv" in page
    lines = b"".join(response.streaming_content if response.streaming else
                     [response.content]).decode("utf-8-sig").splitlines()  # fmt: skip
    assert lines[0] == "文件,行,列,原值,原因"
    assert len(lines) == 1 + 203
    assert lines[1].startswith("guests.csv,3,手机,1.38E+1,")
    assert lines[-1].startswith("guests.csv,205,手机,1.38E+5,")
    event = AuditEvent.objects.get(action="export")
    assert event.object_type == "imports.rejected_rows"


def test_progress_reports_the_job(client: Client, manager: User) -> None:
    client.force_login(manager)
    job = _upload(client, [["姓名"], ["张伟"]])

    response = client.get(reverse("imports:progress", args=[job.pk]))

    assert response.status_code == 200
    assert 'max="1" value="1"' in response.content.decode()


def test_staff_without_the_permission_cannot_import(
    client: Client, waiter: User
) -> None:
    client.force_login(waiter)
    upload = SimpleUploadedFile("guests.csv", csv_bytes(ROWS), content_type="text/csv")

    response = client.post(
        reverse("imports:upload"), {"kind": "guests", "file": upload}
    )

    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


def test_after_a_refused_then_a_skipping_commit_the_page_shows_the_commit_only(
    client: Client, manager: User
) -> None:
    # given a file with a rejected row, committed once without the skip box
    client.force_login(manager)
    rows = [["姓名", "手机"], ["张伟", "13812345678"], ["李娜", "1.38E+10"]]
    job = _upload(client, rows)
    url = reverse("imports:commit", args=[job.pk])
    refused = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert "有 1 行被拒绝，未写入任何数据" in refused

    # when it is committed again with the skip box
    done = client.post(url, {"skip_rejected": "1"}, HTTP_HX_REQUEST="true")

    # then the whole page is loaded again: committed, without the earlier failure
    assert done["HX-Redirect"] == reverse("imports:preview", args=[job.pk])
    page = client.get(done["HX-Redirect"]).content.decode()
    assert "已导入：新建 1，更新 0" in page
    assert "未写入任何数据" not in page
    assert "失败" not in page
    assert 'id="commit-panel"' not in page


def test_an_upload_without_a_file_comes_back_with_the_summary(
    client: Client, manager: User
) -> None:
    client.force_login(manager)

    response = client.post(reverse("imports:upload"), {"kind": "restaurant"})

    page = response.content.decode()
    assert response.status_code == 400
    summary = page.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert '<a href="#id_file">文件</a>：' in summary
    assert '<p class="error" id="id_file_error" role="alert">' in page
    assert '<option value="restaurant" selected>' in page
