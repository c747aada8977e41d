"""A guest's stays and bills, newest first, narrowed by date, status, outlet, dish."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from dossier.history.selectors import HistoryFilter, bills_of, stays_of
from tests.factories import GuestFactory, add_bill, add_stay

SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest(prop):
    guest = GuestFactory(full_name="欧阳晓雯", property=prop)
    add_stay(
        guest, external_ref="S1", arrival=date(2025, 3, 1), departure=date(2025, 3, 3)
    )
    add_stay(
        guest,
        external_ref="S2",
        arrival=date(2026, 5, 30),
        departure=date(2026, 6, 2),
        status="cancelled",
    )
    add_stay(
        guest, external_ref="S3", arrival=date(2026, 11, 1), departure=date(2026, 11, 4)
    )
    # 23:30 in Beijing on 31 October is still 31 October there, though 15:30 UTC.
    add_bill(
        guest,
        "B1",
        [("松鼠鳜鱼", "168.00", "liked"), ("米饭", "3.00", "")],
        opened_at=datetime(2026, 10, 31, 23, 30, tzinfo=SHANGHAI),
    )
    add_bill(
        guest,
        "B2",
        [("宫保鸡丁", "48.00", "disliked")],
        opened_at=datetime(2026, 11, 1, 0, 10, tzinfo=SHANGHAI),
    )
    return guest


def refs(records):
    return [r.external_ref for r in records]


def test_stays_newest_first_and_by_overlap(guest):
    assert refs(stays_of(guest)) == ["S3", "S2", "S1"]
    # A stay counts for a range it overlaps: S2 runs into June.
    in_june = HistoryFilter(since=date(2026, 6, 1), until=date(2026, 6, 30))
    assert refs(stays_of(guest, in_june)) == ["S2"]
    assert refs(stays_of(guest, HistoryFilter(status="cancelled"))) == ["S2"]
    assert refs(stays_of(guest, HistoryFilter(until=date(2025, 12, 31)))) == ["S1"]


def test_bill_days_are_the_propertys_days(guest):
    assert refs(bills_of(guest)) == ["B2", "B1"]
    october = HistoryFilter(since=date(2026, 10, 1), until=date(2026, 10, 31))
    assert refs(bills_of(guest, october)) == ["B1"]
    november = HistoryFilter(since=date(2026, 11, 1))
    assert refs(bills_of(guest, november)) == ["B2"]


def test_bills_by_dish_and_outlet(guest):
    bills = list(bills_of(guest, HistoryFilter(dish="鳜鱼")))
    assert refs(bills) == ["B1"]
    # The whole bill is shown, not only the matching dish.
    assert [line.dish.name for line in bills[0].lines.all()] == ["松鼠鳜鱼", "米饭"]
    outlet = bills[0].outlet_id
    assert refs(bills_of(guest, HistoryFilter(outlet_id=outlet))) == ["B2", "B1"]
    assert refs(bills_of(guest, HistoryFilter(outlet_id=outlet + 999))) == []


TAB = {"HX-Request": "true", "HX-Target": "guest-tabs"}


def test_guest_page_filters(client, manager, guest):
    client.force_login(manager)
    url = f"/guests/{guest.pk}/"
    full = client.get(url, {"tab": "stays", "status": "cancelled"}).content.decode()
    assert 'name="status"' in full
    page = client.get(
        url, {"tab": "stays", "status": "cancelled"}, headers=TAB
    ).content.decode()
    assert "2026-05-30" in page
    assert "2025-03-01" not in page
    assert "清除筛选" in page
    page = client.get(
        url, {"tab": "bills", "dish": "宫保"}, headers=TAB
    ).content.decode()
    assert "宫保鸡丁" in page
    assert "松鼠鳜鱼" not in page
    nothing = client.get(
        url, {"tab": "bills", "dish": "佛跳墙"}, headers=TAB
    ).content.decode()
    assert "没有符合筛选条件的餐饮账单" in nothing


def test_inverted_range_says_so_and_filters_nothing(client, manager, guest):
    client.force_login(manager)
    page = client.get(
        f"/guests/{guest.pk}/",
        {"tab": "stays", "since": "2026-12-01", "until": "2026-01-01"},
        headers=TAB,
    ).content.decode()
    assert "开始日期 2026-12-01 晚于结束日期 2026-01-01" in page
    assert "2025-03-01" in page
    bad = client.get(
        f"/guests/{guest.pk}/", {"tab": "stays", "since": "2026-02-30"}, headers=TAB
    )
    assert bad.status_code == 200
    assert "2025-03-01" in bad.content.decode()


def test_api_lists_with_filters_and_hides_money_without_permission(
    client, manager, waiter, guest
):
    client.force_login(manager)
    stays = client.get(f"/api/v1/guests/{guest.pk}/stays", {"status": "checked_out"})
    assert stays.status_code == 200
    body = stays.json()
    assert body["count"] == 2
    assert [s["arrival"] for s in body["items"]] == ["2026-11-01", "2025-03-01"]
    bills = client.get(f"/api/v1/guests/{guest.pk}/bills", {"dish": "鳜鱼"}).json()
    assert bills["count"] == 1
    assert bills["items"][0]["lines"][0] == {
        "dish": "松鼠鳜鱼",
        "quantity": "1.00",
        "rating": "liked",
        "rating_note": "",
    }
    inverted = client.get(
        f"/api/v1/guests/{guest.pk}/stays",
        {"since": "2026-12-01", "until": "2026-01-01"},
    )
    assert inverted.status_code == 422
    assert "晚于" in inverted.json()["message"]

    client.force_login(waiter)
    if waiter.has_perm("history.view_spend"):
        pytest.skip("waiters see spend in this configuration")
    hidden = client.get(f"/api/v1/guests/{guest.pk}/bills").json()
    assert all(item["total"] is None for item in hidden["items"])


def test_api_history_of_a_hidden_guest_is_404(client, manager, prop):
    from dossier.core.models import Property

    other = Property.objects.create(name="别的酒店", code="other")
    stranger = GuestFactory(full_name="李四", property=other)
    client.force_login(manager)
    assert client.get(f"/api/v1/guests/{stranger.pk}/stays").status_code == 404


def test_next_page_keeps_the_filter(client, manager, prop, monkeypatch):
    monkeypatch.setattr("dossier.guests.views.HISTORY_PAGE_SIZE", 2)
    guest = GuestFactory(full_name="黄乐怡", property=prop)
    for n in range(5):
        add_stay(guest, external_ref=f"C{n}", days_ago=10 + n * 5, status="cancelled")
    client.force_login(manager)
    page = client.get(
        f"/guests/{guest.pk}/", {"tab": "stays", "status": "cancelled"}, headers=TAB
    ).content.decode()
    assert "status=cancelled" in page
    assert "page=2" in page


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"arrival": "2026-12-10", "departure": "2026-12-05"}, "departure", "早于"),
        ({"arrival": "2026-12-03", "departure": "2126-12-03"}, "departure", "超过上限"),
        ({"status": "zzz"}, "status", "无效"),
        ({"rate": "-100"}, "rate", "负数"),
    ],
)
def test_a_pushed_stay_no_hotel_could_have_is_refused_by_name(
    client, manager, guest, change, field, words
):
    from dossier.history.models import Stay

    client.force_login(manager)
    before = Stay.objects.count()
    body = {
        "guest_id": guest.pk,
        "external_ref": "T-1",
        "arrival": "2026-12-03",
        "departure": "2026-12-05",
        **change,
    }
    response = client.post("/api/v1/stays", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert words in response.json()["message"]
    assert Stay.objects.count() == before


def test_a_pushed_bill_closed_before_it_opened_is_refused(client, manager, guest):
    client.force_login(manager)
    body = {
        "guest_id": guest.pk,
        "external_ref": "P-1",
        "opened_at": "2026-12-03T19:00:00+08:00",
        "closed_at": "2026-12-03T18:00:00+08:00",
        "lines": [{"dish": "米饭", "unit_price": "3.00"}],
    }
    response = client.post("/api/v1/bills", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "closed_at"


def test_the_history_tabs_export_what_they_show(client, manager, waiter, guest):
    # given
    import csv
    import io

    client.force_login(manager)
    url = f"/guests/{guest.pk}/"

    # when the cancelled stays and the bills with 宫保 are exported
    stays = client.get(url, {"tab": "stays", "status": "cancelled", "export": "csv"})
    bills = client.get(url, {"tab": "bills", "dish": "宫保", "export": "csv"})
    xlsx = client.get(url, {"tab": "bills", "export": "xlsx"})
    client.force_login(waiter)
    refused = client.get(url, {"tab": "stays", "export": "csv"})

    # then each holds the filtered rows, bills one row per dish, in Beijing time
    def rows(response):
        assert response.content.startswith("\ufeff".encode())
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    stay_rows = rows(stays)
    assert stay_rows[0][:2] == ["到店日期", "离店日期"]
    assert [r[0] for r in stay_rows[1:]] == ["2026-05-30"]
    bill_rows = rows(bills)
    assert bill_rows[0] == ["开台时间", "营业点", "台号", "人数", "状态", "消费金额",
                            "菜品", "数量", "评价"]  # fmt: skip
    assert [(r[0], r[5], r[6]) for r in bill_rows[1:]] == [
        ("2026-11-01 00:10", "48.00", "宫保鸡丁")
    ]
    assert xlsx.status_code == 200
    assert refused.status_code == 403
