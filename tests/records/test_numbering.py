"""Setting up the archive from the page and the API: the first scheme, the number
template and folder capacities."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dossier.core.models import AuditEvent, Property
from dossier.records.errors import RecordsError
from dossier.records.models import ArchiveClass, Folder, NumberTemplate, SchemeVersion
from dossier.records.numbering import class_capacity_set, template_choose
from dossier.records.scheme import (
    PUBLISHED_NAME,
    ClassChange,
    scheme_revise,
    scheme_start,
)
from tests.records.conftest import FileCase

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestTemplate:
    def test_dat22_numbers_new_cases_and_old_numbers_stay(
        self, archivist: User, prop: Property, file_case: FileCase
    ) -> None:
        # given a case numbered by the default template
        old = file_case(title="旧编号").case

        # when the DA/T 22 preset is chosen with fonds Z001
        template_choose(actor=archivist, prop=prop, preset="dat22", fonds_code="z001")
        new = file_case(title="新编号").case

        # then new cases follow it and the old number is unchanged
        old.refresh_from_db()
        assert (old.archive_number, new.archive_number) == (
            "01-02031-01",
            "Z001-WS·2025-D10-01-0001",
        )
        event = AuditEvent.objects.get(action="records.number_template_chosen")
        assert event.actor == archivist

    def test_going_back_continues_the_old_sequence(
        self, archivist: User, prop: Property, file_case: FileCase
    ) -> None:
        file_case(title="甲")
        template_choose(actor=archivist, prop=prop, preset="dat22", fonds_code="Z001")
        file_case(title="乙")

        template_choose(actor=archivist, prop=prop, preset="default")
        third = file_case(title="丙").case

        assert third.archive_number == "01-02031-02"
        assert NumberTemplate.objects.filter(property=prop).count() == 2
        assert NumberTemplate.objects.get(property=prop, is_default=True).pattern == (
            "{dept:2}-{major:2}{minor:2}{volume:1}-{item:2}"
        )

    @pytest.mark.parametrize(
        ("preset", "fonds", "field"),
        [
            ("dat22", "", "fonds_code"),
            ("dat22", "Z-01", "fonds_code"),
            ("x", "", "preset"),
        ],
    )
    def test_a_bad_choice_is_refused_naming_the_field(
        self, archivist: User, prop: Property, preset: str, fonds: str, field: str
    ) -> None:
        with pytest.raises(RecordsError) as refused:
            template_choose(actor=archivist, prop=prop, preset=preset, fonds_code=fonds)

        assert refused.value.field == field
        assert not NumberTemplate.objects.filter(pattern__contains="fonds").exists()

    def test_a_template_too_narrow_for_a_folder_is_refused(
        self, archivist: User, prop: Property, minor: ArchiveClass
    ) -> None:
        template_choose(actor=archivist, prop=prop, preset="dat22", fonds_code="Z001")
        class_capacity_set(actor=archivist, archive_class=minor, folder_capacity=120)

        with pytest.raises(RecordsError, match="每卷 120 件超出档号目次位数"):
            template_choose(actor=archivist, prop=prop, preset="default")

        assert NumberTemplate.objects.get(is_default=True).fonds_code == "Z001"


class TestCapacity:
    def test_a_smaller_capacity_opens_the_next_volume(
        self, archivist: User, minor: ArchiveClass, file_case: FileCase
    ) -> None:
        first = [file_case(title=f"第{n}件").case for n in (1, 2, 3)]

        class_capacity_set(actor=archivist, archive_class=minor, folder_capacity=2)
        fourth = file_case(title="第4件").case

        assert fourth.archive_number == "01-02032-01"
        assert Folder.objects.get(pk=first[0].folder_id).capacity == 50
        assert fourth.folder.capacity == 2

    def test_a_larger_capacity_lets_the_open_folder_take_more(
        self, archivist: User, minor: ArchiveClass, file_case: FileCase
    ) -> None:
        minor.folder_capacity = 2
        minor.save()
        first = [file_case(title=f"第{n}件").case for n in (1, 2)]

        class_capacity_set(actor=archivist, archive_class=minor, folder_capacity=3)
        third = file_case(title="第3件").case

        assert third.archive_number == "01-02031-03"
        assert Folder.objects.get(pk=first[0].folder_id).capacity == 3

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (0, "须在 1 到 999 之间"),
            (100, "每卷 100 件超出档号目次位数（最多 99 件）"),
        ],
    )
    def test_an_impossible_capacity_is_refused(
        self, archivist: User, minor: ArchiveClass, value: int, message: str
    ) -> None:
        with pytest.raises(RecordsError) as refused:
            class_capacity_set(
                actor=archivist, archive_class=minor, folder_capacity=value
            )

        assert refused.value.message == message
        minor.refresh_from_db()
        assert minor.folder_capacity == 50


def test_the_page_sets_the_template_and_a_capacity(
    archivist: User, waiter: User, minor: ArchiveClass, file_case: FileCase
) -> None:
    client = _client(archivist)
    assert client.get(reverse("records:numbering")).status_code == 200
    assert _client(waiter).get(reverse("records:numbering")).status_code == 403

    chosen = client.post(
        reverse("records:template_choose"),
        {"preset": "dat22", "fonds_code": "Z001", "category_code": "WS"},
    )
    sized = client.post(
        reverse("records:capacity_set"),
        {"archive_class": minor.pk, "folder_capacity": "30"},
    )
    refused = client.post(
        reverse("records:template_choose"), {"preset": "dat22", "fonds_code": ""}
    )

    assert (chosen.status_code, sized.status_code) == (302, 302)
    page = client.get(reverse("records:numbering")).content.decode()
    assert "Z001" in page
    minor.refresh_from_db()
    assert minor.folder_capacity == 30
    refusal = refused.content.decode()
    assert refused.status_code == 400
    assert (
        '<p class="error" id="id_fonds_code_error" role="alert">'
        "请填写 1 至 16 位字母或数字</p>"
    ) in refusal
    assert '<a href="#id_fonds_code">全宗号</a>：请填写 1 至 16 位字母或数字' in refusal
    assert file_case(title="新件").case.archive_number == "Z001-WS·2025-D10-01-0001"


def test_the_api_reads_and_sets_the_template_and_a_capacity(
    archivist: User, waiter: User, minor: ArchiveClass
) -> None:
    client = _client(archivist)

    before = client.get("/api/v1/records/numbering").json()
    chosen = client.post(
        "/api/v1/records/numbering",
        {"preset": "dat22", "fonds_code": "Z001"},
        content_type="application/json",
    )
    sized = client.post(
        "/api/v1/records/classes/01-0203/capacity",
        {"folder_capacity": 100},
        content_type="application/json",
    )
    unknown = client.post(
        "/api/v1/records/classes/09-0909/capacity",
        {"folder_capacity": 10},
        content_type="application/json",
    )
    denied = _client(waiter).post(
        "/api/v1/records/numbering",
        {"preset": "default"},
        content_type="application/json",
    )

    assert before["pattern"] == "{dept:2}-{major:2}{minor:2}{volume:1}-{item:2}"
    assert chosen.json()["fonds_code"] == "Z001"
    assert sized.json() == {"class_code": "01-0203", "folder_capacity": 100}
    assert (unknown.status_code, denied.status_code) == (404, 403)


class TestSchemeStart:
    """A house without a scheme starts one from the page or the API."""

    def test_the_published_sample_is_loaded_from_the_page(
        self, archivist: User, prop: Property
    ) -> None:
        client = _client(archivist)
        before = client.get(reverse("records:classes")).content.decode()

        started = client.post(reverse("records:scheme_start"), {"source": "published"})
        again = client.post(
            reverse("records:scheme_start"), {"source": "published"}, follow=True
        )

        assert reverse("records:scheme_start") in before
        assert started.status_code == 302
        version = SchemeVersion.objects.get(property=prop)
        assert (version.number, version.name) == (1, PUBLISHED_NAME)
        assert sorted(
            version.classes.filter(children__isnull=True).values_list(
                "full_code", flat=True
            )
        ) == ["01-A1", "01-A2", "01-A3"]
        assert "已有分类方案；修改请建立新版本" in again.content.decode()
        assert SchemeVersion.objects.count() == 1

    def test_an_empty_scheme_needs_a_name_and_grows_by_revisions(
        self, archivist: User, prop: Property
    ) -> None:
        with pytest.raises(RecordsError) as refused:
            scheme_start(actor=archivist, prop=prop, source="empty", name=" ")
        assert refused.value.field == "name"

        empty = scheme_start(
            actor=archivist, prop=prop, source="empty", name="本店档案分类方案"
        )
        grown = scheme_revise(
            actor=archivist,
            version=empty,
            name="本店档案分类方案",
            changes=[ClassChange(kind="add", full_code="", code="01", name="行政部")],
        )

        assert (empty.classes.count(), grown.number) == (0, 2)
        assert list(grown.classes.values_list("full_code", "name")) == [
            ("01", "行政部")
        ]

    def test_the_api_starts_the_scheme_once(
        self, archivist: User, waiter: User, prop: Property
    ) -> None:
        client = _client(archivist)
        url = "/api/v1/records/scheme"

        denied = _client(waiter).post(
            url, {"source": "published"}, content_type="application/json"
        )
        unknown = client.post(url, {"source": "x"}, content_type="application/json")
        first = client.post(
            url, {"source": "published"}, content_type="application/json"
        )
        second = client.post(
            url, {"source": "published"}, content_type="application/json"
        )

        assert (denied.status_code, unknown.json()["field"]) == (403, "source")
        assert first.status_code == 201
        assert first.json()["name"] == PUBLISHED_NAME
        assert (second.status_code, second.json()["message"]) == (
            422,
            "已有分类方案；修改请建立新版本",
        )
