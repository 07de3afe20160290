"""Template translations are cached per request and locale, and still follow force_locale."""

from __future__ import annotations

from flask import render_template_string, session
from flask_babel import force_locale


def test_template_gettext_follows_the_locale_and_force_locale(app):
    template = '{{ _("Log out") }}|{{ ngettext("%(num)d item", "%(num)d items", 5) }}'
    with app.test_request_context("/"):
        assert render_template_string(template).startswith("Wyloguj się|")
        with force_locale("en"):
            assert render_template_string(template) == "Log out|5 items"
        assert render_template_string(template).startswith("Wyloguj się|")
    with app.test_request_context("/"):
        session["lang"] = "en"
        assert render_template_string(template).startswith("Log out|")


def test_catalog_is_looked_up_once_per_request_and_locale(app, monkeypatch):
    from coordination import i18n

    calls = []
    real = i18n.get_translations
    monkeypatch.setattr(i18n, "get_translations", lambda: calls.append(1) or real())
    with app.test_request_context("/"):
        render_template_string('{% for i in range(50) %}{{ _("Log out") }}{% endfor %}')
        with force_locale("en"):
            render_template_string('{{ _("Log out") }}{{ _("Log out") }}')
    assert len(calls) == 2
