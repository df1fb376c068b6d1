"""Time: local dates per daerah time zone, deadlines by year, working days, relations from the org chart."""
from __future__ import annotations

import datetime as dt

from engine.identity import Role, RoleGrant, User
from engine.organisation import Daerah, Pegawai
from workflows.deadlines import _last_overdue_year, local_today
from workflows.facts import working_days
from workflows.models import DeadlineRule
from workflows.permissions import relations_to


def test_local_date_follows_the_daerah_time_zone():
    late_evening_utc = dt.datetime(2026, 1, 31, 16, 30)   # 23:30 WIB, 00:30 WITA the next day
    assert local_today(Daerah(timezone="Asia/Jakarta"), late_evening_utc) == dt.date(2026, 1, 31)
    assert local_today(Daerah(timezone="Asia/Makassar"), late_evening_utc) == dt.date(2026, 2, 1)
    assert local_today(Daerah(timezone="Asia/Jayapura"), dt.datetime(2026, 1, 31, 15, 0)) == dt.date(2026, 2, 1)


def test_a_deadline_is_overdue_only_after_its_day():
    plan = DeadlineRule(state="plan_draft", year_offset=0, month=1, day=31)
    review = DeadlineRule(state="review", year_offset=1, month=1, day=31)
    assert _last_overdue_year(plan, dt.date(2026, 1, 31)) == 2025     # the 2026 plan is due today: not late
    assert _last_overdue_year(plan, dt.date(2026, 2, 1)) == 2026
    assert _last_overdue_year(review, dt.date(2027, 2, 1)) == 2026
    assert _last_overdue_year(review, dt.date(2027, 1, 31)) == 2025


def test_working_days_count_weekdays():
    assert working_days(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 261
    assert working_days(dt.date(2026, 3, 7), dt.date(2026, 3, 8)) == 0        # a weekend
    assert working_days(dt.date(2026, 3, 2), dt.date(2026, 3, 6)) == 5


def _people():
    daerah_id = 7
    top = Pegawai(id=1, daerah_id=daerah_id)
    mid = Pegawai(id=2, daerah_id=daerah_id, atasan=top, atasan_id=1)
    low = Pegawai(id=3, daerah_id=daerah_id, atasan=mid, atasan_id=2)
    return top, mid, low


def _user(pegawai=None, grants=()):
    user = User(username="u", active=True, pegawai=pegawai, pegawai_id=pegawai.id if pegawai else None)
    user.grants = [RoleGrant(role=Role(r), daerah_id=d) for r, d in grants]
    return user


def test_relations_come_from_the_organisation_chart():
    top, mid, low = _people()
    assert relations_to(_user(low), low) == {"pegawai"}
    assert relations_to(_user(mid), low) == {"atasan"}
    assert relations_to(_user(top), low) == {"atasan2"}
    assert relations_to(_user(low), mid) == frozenset()


def test_hr_acts_as_atasan_for_those_with_none_in_the_system_and_admins_count_as_hr():
    top, mid, low = _people()
    hr = _user(grants=[("hr", 7)])
    assert relations_to(hr, low) == {"hr"}
    assert relations_to(hr, top) == {"hr", "atasan", "atasan2"}
    assert relations_to(hr, mid) == {"hr", "atasan2"}
    assert relations_to(_user(grants=[("hr", 8)]), low) == frozenset()
    assert relations_to(_user(grants=[("admin", None)]), low) == {"hr"}
    assert relations_to(_user(grants=[("auditor", 7)]), low) == {"auditor"}


def test_an_inactive_user_has_no_relation():
    _, _, low = _people()
    user = _user(low)
    user.active = False
    assert relations_to(user, low) == frozenset()
