"""The shared working-days calendar: Georgia's public holidays of 2026 and 2027 (Orthodox
Easter included), weekends, and a municipality's own days."""

from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from portal.services import working_days
from portal.services.working_days import Calendar
from portal.tenancy import tenant_context

#: Georgia's public holidays (Labour Code, art. 20) on their 2026 and 2027 dates.
KNOWN = [
    date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 7), date(2026, 1, 19), date(2026, 3, 3),
    date(2026, 3, 8), date(2026, 4, 9),
    # Orthodox Easter 2026 is 12 April: Good Friday to Easter Monday
    date(2026, 4, 10), date(2026, 4, 11), date(2026, 4, 12), date(2026, 4, 13),
    date(2026, 5, 9), date(2026, 5, 12), date(2026, 5, 17), date(2026, 5, 26), date(2026, 8, 28),
    date(2026, 10, 14), date(2026, 11, 23),
    # Orthodox Easter 2027 is 2 May
    date(2027, 4, 30), date(2027, 5, 1), date(2027, 5, 2), date(2027, 5, 3),
    date(2027, 1, 7), date(2027, 5, 26), date(2027, 11, 23),
]


@pytest.mark.parametrize("day", KNOWN)
def test_known_georgian_holidays_are_not_working_days(day):
    assert day in working_days.public_holidays(day.year)
    assert not Calendar().is_working_day(day)


def test_ordinary_weekdays_work_and_weekends_do_not():
    calendar = Calendar()
    assert calendar.is_working_day(date(2026, 4, 14))  # the Tuesday after Easter Monday
    assert not calendar.is_working_day(date(2026, 12, 5))  # a Saturday
    assert not calendar.is_working_day(date(2026, 12, 6))


def test_ten_working_days_skip_easter_and_weekends():
    calendar = Calendar()
    # Wednesday 8 April 2026: 9 April (Unity Day), 10-13 April (Easter) and two weekends are
    # skipped: 14,15,16,17, 20,21,22,23,24, 27 April.
    assert calendar.add(date(2026, 4, 8), 10) == date(2026, 4, 27)
    # Across the 2027 Orthodox Easter (30 April - 3 May): 28,29, 4,5,6,7, 10, 11, 13, 14 May
    # (12 May is St Andrew's Day).
    assert calendar.add(date(2027, 4, 27), 10) == date(2027, 5, 14)
    assert calendar.add(date(2026, 12, 4), 0) == date(2026, 12, 4)
    assert calendar.between(date(2026, 4, 8), date(2026, 4, 27)) == 10


def test_a_municipality_s_own_days_change_only_its_deadlines(app, poti, abasha):
    with app.app_context():
        with tenant_context(poti):
            working_days.set_exception(date(2026, 12, 8), False, "ქალაქის დღე")
            working_days.set_exception(date(2026, 11, 23), True)
            assert not working_days.is_working_day(date(2026, 12, 8))
            assert working_days.is_working_day(date(2026, 11, 23))
            # Monday 7 December 2026 + 2 working days: the 8th is off in Poti
            assert working_days.add_working_days(date(2026, 12, 7), 2) == date(2026, 12, 10)
        with tenant_context(abasha):
            assert working_days.add_working_days(date(2026, 12, 7), 2) == date(2026, 12, 9)
            assert not working_days.is_working_day(date(2026, 11, 23))
        with tenant_context(poti):
            assert working_days.remove_exception(date(2026, 12, 8))
            assert working_days.add_working_days(date(2026, 12, 7), 2) == date(2026, 12, 9)
        db.session.rollback()


def test_absurd_spans_are_refused():
    with pytest.raises(ValueError):
        Calendar().add(date(2026, 1, 1), 10**6)


def test_staff_edit_the_days_in_the_admin(app, staff, poti):
    from tests.helpers import csrf_token
    from tests.staff_fixtures import signed_in

    client = app.test_client()
    signed_in(client, staff(poti, ["admin"]))
    client.set_cookie("lang", "en")
    page = client.get("/poti/admin/settings/working-days")
    assert page.status_code == 200 and "Working days" in page.text
    token = csrf_token(page.text)
    bad = client.post("/poti/admin/settings/working-days", data={"csrf_token": token, "day": "x",
                                                                  "kind": "off"})
    assert bad.status_code == 422 and "Not a valid date value." in bad.text
    saved = client.post("/poti/admin/settings/working-days",
                        data={"csrf_token": token, "day": "2026-12-08", "kind": "off", "note": "დღესასწაული"})
    assert saved.status_code == 303
    assert "დღესასწაული" in client.get("/poti/admin/settings/working-days").text
    with app.app_context(), tenant_context(poti):
        assert not working_days.is_working_day(date(2026, 12, 8))
    removed = client.post("/poti/admin/settings/working-days/remove",
                          data={"csrf_token": token, "day": "2026-12-08"})
    assert removed.status_code == 303
    with app.app_context(), tenant_context(poti):
        assert working_days.is_working_day(date(2026, 12, 8))
