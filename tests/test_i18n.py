"""Translations: every message has a Polish translation; plurals; no cross-catalog clashes."""

from __future__ import annotations

from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from coordination import i18n


def test_every_message_is_translated_to_polish():
    missing = i18n.problems("pl")
    assert not missing, "untranslated:\n" + "\n".join(missing)


def test_catalogs_do_not_contradict_each_other():
    """Catalogs are merged at run time: one msgid must not mean two things in Polish."""
    seen: dict = {}
    clashes = []
    for name in i18n.catalogs():
        po = i18n.catalog_dir(name) / "pl" / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale="pl")
        for msg in catalog:
            if not msg.id:
                continue
            key = (msg.context, msg.id if isinstance(msg.id, str) else msg.id[0])
            if key in seen and seen[key][1] != msg.string:
                clashes.append(f"{key}: {seen[key][0]}={seen[key][1]!r} vs {name}={msg.string!r}")
            seen.setdefault(key, (name, msg.string))
    assert not clashes, "use msgctxt (pgettext) or distinct msgids:\n" + "\n".join(clashes)


def test_polish_has_three_plural_forms(app):
    with app.test_request_context(), force_locale("pl"):
        forms = [ngettext("%(num)d item in total", "%(num)d items in total", n) for n in (1, 2, 5, 22, 25, 112)]
    assert forms == ["Razem 1 pozycja", "Razem 2 pozycje", "Razem 5 pozycji", "Razem 22 pozycje",
                     "Razem 25 pozycji", "Razem 112 pozycji"]


def test_polish_is_default_and_english_available(app):
    client = app.test_client()
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="pl">' in body and "Zaloguj się" in body
    with client.session_transaction() as sess:
        sess["lang"] = "en"
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in body and "Log in" in body and "Zaloguj się" not in body
