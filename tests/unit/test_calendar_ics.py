"""The group calendar file parses back with icalendar and carries what Outlook and Google
Calendar need: VTIMEZONE with TZID times, stable UIDs, SUMMARY, LOCATION, DESCRIPTION, DTSTAMP."""
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from db.calendar_ics import build_calendar, group_calendar, uid
from tests.unit.engagement_world import build


def test_build_calendar_fields():
    group = {"name": "Lima Group", "timezone": "America/Lima"}
    events = [{"id": 7, "kind": "plenary", "title": "Quarterly plenary", "starts_at": datetime(2026, 12, 10, 9),
               "ends_at": datetime(2026, 12, 10, 12), "status": "scheduled", "place": "Municipal hall",
               "site": "Cerro Azul", "summary": "Agenda: water access", "version": 3}]
    data = build_calendar(group, events)
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"] and calendar["METHOD"] == "PUBLISH"
    zones = [c for c in calendar.walk("VTIMEZONE")]
    assert [str(z["TZID"]) for z in zones] == ["America/Lima"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == "activity-7@icwg-dashboard" == uid(7)
    assert event["DTSTART"].params["TZID"] == "America/Lima"
    assert event.decoded("DTSTART") == datetime(2026, 12, 10, 9, tzinfo=ZoneInfo("America/Lima"))
    assert event.decoded("DTEND").hour == 12
    assert str(event["SUMMARY"]) == "Quarterly plenary (Plenary meeting)"
    assert str(event["LOCATION"]) == "Municipal hall, Cerro Azul"
    assert "Agenda: water access" in str(event["DESCRIPTION"])
    assert "DTSTAMP" in event and int(event["SEQUENCE"]) == 2 and str(event["STATUS"]) == "CONFIRMED"


@pytest.fixture
def world(empty_db):
    return build()


def test_group_calendar_from_database_uses_local_time_and_stable_uids(world):
    name, data = group_calendar(world.group_b)
    assert name == "lima-group-calendar.ics"
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == 1
    # stored 2025-11-01 09:00 UTC is 04:00 in Lima
    assert events[0].decoded("DTSTART") == datetime(2025, 11, 1, 4, tzinfo=ZoneInfo("America/Lima"))
    again = icalendar.Calendar.from_ical(group_calendar(world.group_b)[1]).walk("VEVENT")
    assert str(again[0]["UID"]) == str(events[0]["UID"])
    assert group_calendar(9999) is None


def test_cancelled_activity_is_marked_cancelled(world):
    _name, data = group_calendar(world.group_a)
    statuses = sorted(str(e["STATUS"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT"))
    assert statuses.count("CANCELLED") == 1 and len(statuses) == 5
