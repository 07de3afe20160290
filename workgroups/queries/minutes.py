"""Reads for the minutes pages: rendering, sections, versions, comments and diffs."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import nh3
from flask_babel import gettext as _
from markdown_it import MarkdownIt
from markupsafe import Markup, escape
from sqlalchemy import select

from coordination.extensions import db
from workgroups.models import GroupMember, MinutesComment, MinutesLink, MinutesVersion

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
#: the same, with every line break kept (resolution texts: "§ 1. …" and "§ 2. …" on their lines).
_md_lines = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable("table")
HEADING = re.compile(r"^#{1,4}\s+(.+?)\s*#*\s*$")
ALLOWED_TAGS = {"h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "a", "table", "thead",
                "tbody", "tr", "th", "td", "blockquote", "code", "pre", "br", "hr"}


def render_markdown(text: str, shift_headings: int = 1, *, keep_line_breaks: bool = False) -> Markup:
    """Markdown -> HTML sanitised by nh3 (headings shifted so the page keeps one h1)."""
    html = (_md_lines if keep_line_breaks else _md).render(text or "")
    if shift_headings:
        html = re.sub(r"<(/?)h([1-5])>", lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift_headings)}>", html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS | {"h5", "h6"}, link_rel="noopener noreferrer")
    # a wide table (the attendance list) scrolls inside its own focusable, named region instead
    # of widening the page on a phone (WCAG 1.4.10); added after cleaning, so it is our markup
    count = iter(range(1, 1000))
    clean = re.sub("<table>", lambda _m: '<div class="table-wrap" tabindex="0" role="region" aria-label="{}"><table>'.format(
        escape(_("Table %(n)d in the text", n=next(count)))), clean)
    return Markup(clean.replace("</table>", "</table></div>"))


def sections(text: str) -> list[str]:
    """Headings of the text (the sections comments refer to), in order."""
    return [m.group(1) for line in (text or "").splitlines() if (m := HEADING.match(line))]


def versions(minutes_id: int) -> list[MinutesVersion]:
    return list(db.session.scalars(select(MinutesVersion).where(MinutesVersion.minutes_id == minutes_id)
                                   .order_by(MinutesVersion.number)))


def comments(minutes_id: int) -> list[MinutesComment]:
    return list(db.session.scalars(select(MinutesComment).where(MinutesComment.minutes_id == minutes_id)
                                   .order_by(MinutesComment.created_at, MinutesComment.id)))


@dataclass
class DiffRow:
    """One line of a side-by-side diff: ``kind`` is equal, removed, added or changed."""

    kind: str
    old_no: int | None
    old: str | None
    new_no: int | None
    new: str | None


def diff_rows(old: str, new: str) -> list[DiffRow]:
    """Line diff (difflib) as rows for an accessible table."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [DiffRow("equal", i + 1, a[i], j + 1, b[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
            continue
        old_part, new_part = list(range(i1, i2)), list(range(j1, j2))
        for k in range(max(len(old_part), len(new_part))):
            i = old_part[k] if k < len(old_part) else None
            j = new_part[k] if k < len(new_part) else None
            kind = "changed" if i is not None and j is not None else "removed" if i is not None else "added"
            rows.append(DiffRow(kind, None if i is None else i + 1, None if i is None else a[i],
                                None if j is None else j + 1, None if j is None else b[j]))
    return rows


def links(minutes_id: int) -> list[tuple[MinutesLink, str]]:
    """Personal links sent to attendees without an account, newest first, with the name."""
    return [tuple(r) for r in db.session.execute(
        select(MinutesLink, GroupMember.full_name).join(GroupMember, GroupMember.id == MinutesLink.member_id)
        .where(MinutesLink.minutes_id == minutes_id).order_by(MinutesLink.created_at.desc(), MinutesLink.id.desc()))]


def token_row(link_id: int):
    """``(link, minutes, meeting, group, member)`` of a personal draft link in the current region."""
    from workgroups.models import Group, Meeting, Minutes

    return db.session.execute(
        select(MinutesLink, Minutes, Meeting, Group, GroupMember)
        .join(Minutes, Minutes.id == MinutesLink.minutes_id).join(Meeting, Meeting.id == Minutes.meeting_id)
        .join(Group, Group.id == Minutes.group_id).join(GroupMember, GroupMember.id == MinutesLink.member_id)
        .where(MinutesLink.id == link_id)).first()
