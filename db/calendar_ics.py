"""A working group's calendar as an iCalendar (.ics) file that Outlook and Google Calendar
import: times in the group's time zone (TZID with a VTIMEZONE), one stable UID per activity
(re-importing updates the event rather than duplicating it), SUMMARY, LOCATION, DESCRIPTION."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar

from db.periods import Period
from db.reads.activities import group_events
from db.vocab import label
from i18n import _

PRODID = "-//ICWG dashboard//Working group calendar//EN"
UID_DOMAIN = "icwg-dashboard"
STATUS = {"scheduled": "CONFIRMED", "held": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED"}


def uid(activity_id: int) -> str:
    """The event's UID: stable for the activity, whatever changes in it."""
    return f"activity-{activity_id}@{UID_DOMAIN}"


def _zone(name: str):
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def build_calendar(group: dict, events: list[dict], *, stamp: datetime | None = None) -> bytes:
    """The .ics bytes for a group (name, timezone) and its activities (id, kind, title,
    starts_at, ends_at in the group's local time, status, place, site, summary, version)."""
    zone = _zone(group.get("timezone", "UTC"))
    stamp = stamp or datetime.now(timezone.utc)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", group.get("name", ""))
    calendar.add("x-wr-timezone", str(zone.key))
    for item in events:
        event = icalendar.Event()
        event.add("uid", uid(item["id"]))
        event.add("dtstamp", stamp)
        event.add("dtstart", item["starts_at"].replace(tzinfo=zone))
        event.add("dtend", item["ends_at"].replace(tzinfo=zone))
        event.add("summary", _("{title} ({kind})").format(title=item["title"], kind=label(item["kind"])))
        where = ", ".join(part for part in (item.get("place"), item.get("site")) if part)
        if where:
            event.add("location", where)
        description = [_("Working group: {name}").format(name=group.get("name", "")),
                       _("Status: {status}").format(status=label(item["status"]))]
        if item.get("summary"):
            description.append(item["summary"])
        event.add("description", "\n".join(description))
        event.add("status", STATUS.get(item["status"], "CONFIRMED"))
        event.add("sequence", max(0, int(item.get("version") or 1) - 1))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def group_calendar(group_id: int, period: Period | None = None) -> tuple[str, bytes] | None:
    """(file name, .ics bytes) for a group's scheduled and held activities, or None if the
    group does not exist. Calendars are not confidential: any role that sees the group may
    download it."""
    group, events = group_events(group_id, period)
    if not group:
        return None
    return calendar_file_name(group["name"]), build_calendar(group, events)


def calendar_file_name(group_name: str) -> str:
    """The .ics file name for a group's calendar: its name in lower case, letters and digits."""
    safe = "".join(ch if ch.isalnum() else "-" for ch in group_name.lower()).strip("-")
    return f"{safe or 'working-group'}-calendar.ics"
