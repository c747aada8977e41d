"""The personnel archive in English: the list, register, receipts, a file and every
step of a sign-out, and a refused sign-out explained in English."""

from django.contrib.auth.models import User
from django.urls import reverse

from dossier.personnel.models import SignOut
from tests.personnel.conftest import DELEGATE_ID, CaseMaker, FileMaker, details
from tests.web.english import assert_english, english_client, han_left

# What the fixtures file and type: people, places, letters — the archive's own data.
DATA = (
    "张伟",
    "李娜",
    "餐饮部",
    "厨师",
    "档案室 A 架",
    "上海市静安区人才服务中心",
    "上海市静安区万荣路 700 号",
    "沪静人调〔2026〕118 号",
    "静组介〔2026〕7 号",
    "杭州市西湖区人才服务中心",
    "杭州市西湖区文三路 1 号",
    "杭西人调 2026-31",
)


def test_the_lists_speak_english(archivist: User, make_file: FileMaker) -> None:
    make_file()
    client = english_client(archivist)

    for url in ("/personnel/", "/personnel/files/new/", "/personnel/register/",
                "/personnel/receipts/"):  # fmt: skip
        assert_english(client, url, DATA)


def test_a_file_and_each_sign_out_step_speak_english(
    archivist: User,
    make_file: FileMaker,
    open_case: CaseMaker,
    checked_case: CaseMaker,
    handed_case: CaseMaker,
) -> None:
    client = english_client(archivist)
    file = make_file()
    assert_english(client, reverse("personnel:file_detail", args=[file.pk]), DATA)
    assert_english(client, reverse("personnel:sign_out_start", args=[file.pk]), DATA)

    for sign_out in (open_case("delegate"), checked_case(), handed_case()):
        page = assert_english(
            client, reverse("personnel:sign_out", args=[sign_out.pk]), DATA
        )
        assert "Sign-out steps" in page
    assert_english(
        client, reverse("personnel:sign_out_print", args=[sign_out.pk]), DATA
    )


def test_a_refused_sign_out_names_what_is_missing_in_english(
    archivist: User, open_case: CaseMaker
) -> None:
    sign_out: SignOut = open_case("delegate")
    form = details(sign_out).__dict__ | {
        "requester_id_number": DELEGATE_ID,
        "documents": ["transfer_letter", "delegate_id", "employee_id_copy"],
    }

    response = english_client(archivist).post(
        reverse("personnel:sign_out_check", args=[sign_out.pk]), form
    )

    page = response.content.decode()
    assert "Documents incomplete; the file cannot be signed out. Missing:" in page
    assert "Letter of authorisation: bears the grantor&#x27;s fingerprint" in page
    assert "材料不齐" not in page
    assert not han_left(page, DATA)
