"""The demo mail sink: an SMTP server on 127.0.0.1 that keeps every message on disk.

``make run`` (:mod:`coordination.demo_run`) starts it beside the web server and the scheduler,
so invitations, reminders and digests really leave the queue without reaching anybody. Each
message is one ``.eml`` file in ``DEMO_MAIL_DIR`` named after the moment it arrived (UTC), so
the folder lists newest-last and the administrator's page (``admin.demo_mail``) reads it
without a database. Files are written under a temporary name and renamed, so a reader never
sees half a message.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.parser import BytesHeaderParser, BytesParser
from pathlib import Path

from aiosmtpd.controller import Controller

from coordination import clock

#: ``20261118T090000123456Z-0a1b2c3d``: arrival instant (UTC, microseconds) and a random tail.
MESSAGE_ID = re.compile(r"^(\d{8}T\d{12})Z-[0-9a-f]{8}$")
#: header added by the sink: the envelope recipients (they may differ from ``To``).
ENVELOPE_TO = "X-Demo-Envelope-To"


class MailSink:
    """aiosmtpd handler: accepts every message and writes it to ``folder``."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 - aiosmtpd API
        self.store(envelope.rcpt_tos, envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"

    def store(self, recipients: list[str], content: bytes) -> Path:
        """Write one message (with its envelope recipients as a header) and return its path."""
        name = f"{clock.now().astimezone(UTC):%Y%m%dT%H%M%S%f}Z-{secrets.token_hex(4)}"
        header = f"{ENVELOPE_TO}: {', '.join(recipients)}\r\n".encode()
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(header + content)
        final = self.folder / f"{name}.eml"
        os.replace(tmp, final)
        return final


def start_sink(folder: str | os.PathLike, port: int, hostname: str = "127.0.0.1") -> Controller:
    """Start the sink in a background thread; ``controller.stop()`` stops it."""
    controller = Controller(MailSink(folder), hostname=hostname, port=port)
    controller.start()
    return controller


# --- reading (the administrator's page) ---------------------------------------------------


@dataclass(frozen=True)
class MessageSummary:
    """One line of the list: arrival (aware UTC), recipient, subject."""

    id: str
    received_at: datetime
    recipient: str
    subject: str


@dataclass(frozen=True)
class MessageDetail(MessageSummary):
    """A message opened: sender, plain-text body and attachment names."""

    sender: str
    body: str
    attachments: list[str]


def _received_at(message_id: str) -> datetime:
    stamp = MESSAGE_ID.match(message_id).group(1)
    return datetime.strptime(stamp, "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)


def _ids(folder: Path) -> list[str]:
    """Message ids, newest first."""
    if not folder.is_dir():
        return []
    names = (p.stem for p in folder.glob("*.eml"))
    return sorted((n for n in names if MESSAGE_ID.match(n)), reverse=True)


def _recipient(msg) -> str:
    return str(msg.get(ENVELOPE_TO) or msg.get("To") or "")


def messages_page(page: int, per_page: int, *, folder: str) -> tuple[list[MessageSummary], int]:
    """One page of the sink's messages, newest first, and their total (headers only)."""
    ids = _ids(Path(folder))
    out = []
    for message_id in ids[(page - 1) * per_page: page * per_page]:
        try:
            with open(Path(folder) / f"{message_id}.eml", "rb") as fh:
                msg = BytesHeaderParser(policy=policy.default).parse(fh)
        except FileNotFoundError:  # removed meanwhile
            continue
        out.append(MessageSummary(message_id, _received_at(message_id), _recipient(msg),
                                  str(msg.get("Subject") or "")))
    return out, len(ids)


def read_message(folder: str, message_id: str) -> MessageDetail | None:
    """The message ``message_id`` of the sink, or None (unknown or malformed id)."""
    if not MESSAGE_ID.match(message_id):
        return None
    try:
        raw = (Path(folder) / f"{message_id}.eml").read_bytes()
    except FileNotFoundError:
        return None
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    plain = msg.get_body(preferencelist=("plain",))
    body = plain.get_content() if plain is not None else ""
    attachments = [part.get_filename() or part.get_content_type() for part in msg.iter_attachments()]
    return MessageDetail(message_id, _received_at(message_id), _recipient(msg),
                         str(msg.get("Subject") or ""), str(msg.get("From") or ""), body, attachments)
