"""iCalendar (RFC 5545) helpers: calendars of events, e-mail attachments (iTIP methods)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.mime.text import MIMEText

from icalendar import Calendar, Event, vCalAddress, vText

from coordination import clock
from coordination.text import normalize_text

PRODID = "-//Siec ES//Koordynacja ES//PL"


@dataclass
class CalendarEvent:
    """What one VEVENT says; ``start``/``end`` are timezone-aware datetimes."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str = ""
    location: str | None = None
    url: str | None = None
    cancelled: bool = False
    organizer: str | None = None
    attendees: list[str] = field(default_factory=list)


def _text(value: str) -> str:
    """TEXT as RFC 5545 allows it: no control characters other than tab and newline (stored
    text may predate the form layer's normalisation)."""
    return normalize_text(str(value))


def calendar(events: list[CalendarEvent], method: str | None = None, name: str | None = None) -> bytes:
    """Serialise ``events`` (with their VTIMEZONEs) as an ``.ics`` document.

    ``method`` is the iTIP method for e-mailed invitations (REQUEST, CANCEL); feeds leave it out.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", _text(name))
    stamp = clock.now()
    for ev in events:
        item = Event()
        item.add("uid", ev.uid)
        item.add("sequence", ev.sequence)
        item.add("dtstamp", stamp)
        item.add("dtstart", ev.start)
        item.add("dtend", ev.end)
        item.add("summary", _text(ev.summary))
        if ev.description:
            item.add("description", _text(ev.description))
        if ev.location:
            item.add("location", _text(ev.location))
        if ev.url:
            item.add("url", ev.url)
        item.add("status", "CANCELLED" if ev.cancelled else "CONFIRMED")
        if ev.organizer:
            item.add("organizer", vCalAddress(f"mailto:{ev.organizer}"))
        for email in ev.attendees:
            who = vCalAddress(f"mailto:{email}")
            who.params["ROLE"] = vText("REQ-PARTICIPANT")
            who.params["RSVP"] = vText("FALSE")
            item.add("attendee", who, encode=0)
        cal.add_component(item)
    cal.add_missing_timezones()
    for zone in cal.walk("VTIMEZONE"):  # icalendar's English note ("This timezone only works…")
        for part in (zone, *zone.subcomponents):
            part.pop("COMMENT", None)
    return cal.to_ical()


def mime_part(ics: bytes, method: str, filename: str = "zaproszenie.ics") -> MIMEText:
    """An e-mail attachment ``text/calendar; method=...`` that mail clients offer to accept."""
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
