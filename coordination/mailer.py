"""Sending e-mail: text + HTML from templates, through Flask-Mailman (SMTP)."""

from __future__ import annotations

from email.mime.base import MIMEBase

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives


def send_templated(to: str, subject: str, template: str, locale: str = "pl", *,
                   headers: dict[str, str] | None = None, connection=None,
                   attachments: list[MIMEBase] | None = None, **context) -> None:
    """Render ``email/<template>.txt`` and ``.html`` in ``locale`` and send them to ``to``.

    ``headers`` adds headers (e.g. ``Message-ID``, ``List-Unsubscribe``); ``connection`` reuses
    an open SMTP connection (the scheduler sends a batch over one); ``attachments`` are ready
    MIME parts (e.g. a ``text/calendar`` invitation) added to the message.
    """
    with force_locale(locale):
        body = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    msg = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[to],
        headers=headers,
        connection=connection,
    )
    msg.attach_alternative(html, "text/html")
    for part in attachments or ():
        msg.attach(part)
    msg.send()
