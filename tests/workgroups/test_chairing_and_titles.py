"""Who chaired, as the minutes say it: an absent chair is never printed as chairing (the deputy
who was present is, or the line is left for the coordinator), excused absences are listed apart,
and role titles agree with the title form the coordinator set for the person (neutral wording
until then)."""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import timedelta

from docx import Document

from coordination import clock
from coordination.extensions import db
from coordination.tenancy import tenant_context
from workgroups import exports
from workgroups.queries.labels import role_title
from workgroups.services import groups as group_services
from workgroups.services import meetings as meeting_services
from workgroups.services import minutes as services

from .conftest import actor, group_of, make_meeting, member

CHAIR, SECRETARY, ACCOUNT, PIOTR, OBSERVER = range(5)


def _deputy(world, form="f"):
    return group_services.add_member(group_of(world), {
        "full_name": "Dorota Zastępczyni", "email": "dorota@example.org", "role": "deputy", "category": "owes",
        "title_form": form, "date_from": member(world.member_ids[CHAIR]).date_from}, actor=actor(world))


def _set_form(world, index, form):
    m = member(world.member_ids[index])
    group_services.update_member(m, group_of(world), {
        "full_name": m.full_name, "email": m.email, "institution": m.institution, "category": m.category,
        "role": m.role, "date_from": m.date_from, "locale": m.locale, "title_form": form,
        "user_id": m.user_id}, actor=actor(world))


def _held(world, statuses):
    ids = world.member_ids
    meeting = make_meeting(world, clock.today() - timedelta(days=3), chair_id=ids[CHAIR],
                           minute_taker_id=ids[SECRETARY])
    rows = {}
    for m in meeting_services.members_on(meeting):
        status = statuses.get(m.id, "present")
        rows[m.id] = (status, "Jan Zastępca" if status == "substitute" else None)
    meeting_services.record_attendance(meeting, rows, actor=actor(world))
    return meeting


def _signatures(meeting, group, minutes):
    document = Document(io.BytesIO(exports.minutes_docx_bytes(meeting, group, minutes)))
    table = document.tables[-1]
    return [(table.cell(1, c).text, table.cell(2, c).text) for c in range(len(table.columns))]


def test_an_absent_chair_is_not_printed_as_chairing(region):
    ids = region.member_ids
    _set_form(region, CHAIR, "f")
    deputy = _deputy(region, "f")
    meeting = _held(region, {ids[CHAIR]: "excused", ids[PIOTR]: "absent"})
    group = group_of(region)
    minutes = services.create_draft(meeting, group, actor=actor(region))
    line = next(row for row in minutes.body.splitlines() if row.startswith("- **Przewodnictwo:**"))
    assert line == "- **Przewodnictwo:** Dorota Zastępczyni (w zastępstwie; nieobecność: Zofia Żółkiewska)"
    # the excused absence is marked in the table and listed apart from the absences
    assert "| Zofia Żółkiewska | ROPS w Poznaniu | nieobecność usprawiedliwiona |" in minutes.body
    assert "**Nieobecności usprawiedliwione:** Zofia Żółkiewska." in minutes.body
    assert "**Nieobecni:** Piotr Gęślą." in minutes.body
    # the signature lines: the deputy who chaired (her title agrees), never the absent chair
    assert _signatures(meeting, group, minutes) == [("Przewodnicząca posiedzenia", "Dorota Zastępczyni"),
                                                    ("Osoba protokołująca", "Łucja Sekretarz")]
    pdf = exports.minutes_pdf_bytes(meeting, group, minutes)
    assert pdf.startswith(b"%PDF")
    assert deputy.title_form == "f"


def test_without_a_deputy_present_the_line_is_left_for_the_coordinator(region):
    ids = region.member_ids
    deputy = _deputy(region, "")
    meeting = _held(region, {ids[CHAIR]: "absent", deputy.id: "excused", ids[SECRETARY]: "absent"})
    group = group_of(region)
    minutes = services.create_draft(meeting, group, actor=actor(region))
    line = next(row for row in minutes.body.splitlines() if row.startswith("- **Przewodnictwo:**"))
    assert line == ("- **Przewodnictwo:** … (nieobecność osoby wyznaczonej do przewodniczenia: Zofia Żółkiewska – "
                    "prosimy wpisać, kto przewodniczył posiedzeniu)")
    assert "- **Protokołowanie:** …" in minutes.body  # the minute-taker was absent too
    assert _signatures(meeting, group, minutes) == [("Osoba przewodnicząca posiedzeniu", ""),
                                                    ("Osoba protokołująca", "")]


@contextmanager
def _in_region(app, world):
    with app.test_request_context(), tenant_context(world.tenant_id):
        yield
        db.session.remove()


def test_the_meeting_page_names_who_chaired(app, world, login):
    with _in_region(app, world):
        _set_form(world, CHAIR, "f")
        _deputy(world, "f")
        meeting_id = _held(world, {world.member_ids[CHAIR]: "excused"}).id
    client = login(app.test_client(), world.coordinator_id)
    page = client.get(f"/wielkopolskie/grupy/posiedzenia/{meeting_id}").get_data(as_text=True)
    assert "<dt>Przewodnicząca</dt><dd>Dorota Zastępczyni" in page
    assert "w zastępstwie; nieobecność: Zofia Żółkiewska" in page
    assert "<dt>Protokołowanie</dt><dd>Łucja Sekretarz</dd>" in page


def test_role_titles_follow_the_title_form(app, world, login):
    with _in_region(app, world):
        region = world
        chair, observer = member(region.member_ids[CHAIR]), member(region.member_ids[OBSERVER])
        assert role_title(chair) == "Przewodniczenie"  # neutral until the coordinator sets the form
        assert role_title(observer) == "Obserwator"
        deputy = _deputy(region, "f")
        assert role_title(deputy) == "Zastępczyni przewodniczącego"
        assert role_title(deputy, "f") == "Zastępczyni przewodniczącej"
        _set_form(region, CHAIR, "f")
        _set_form(region, OBSERVER, "f")
        assert role_title(member(region.member_ids[CHAIR])) == "Przewodnicząca"
        assert role_title(member(region.member_ids[OBSERVER])) == "Obserwatorka"
        _set_form(region, CHAIR, "m")
        assert role_title(member(region.member_ids[CHAIR])) == "Przewodniczący"
        _set_form(region, CHAIR, "f")
    client = login(app.test_client(), world.coordinator_id)
    page = client.get(f"/wielkopolskie/grupy/{world.group_id}").get_data(as_text=True)
    assert "<td>Przewodnicząca</td>" in page and "<td>Zastępczyni przewodniczącej</td>" in page
    assert "<td>Przewodniczący</td>" not in page


def test_title_form_in_the_member_form(app, world, login, csrf_off):
    client = login(app.test_client(), world.coordinator_id)
    url = f"/wielkopolskie/grupy/{world.group_id}/czlonkowie/{world.member_ids[SECRETARY]}"
    form = client.get(url).get_data(as_text=True)
    assert "Forma tytułów funkcji" in form and "żeńska (np. „Przewodnicząca”, „Członkini”)" in form
    data = {"full_name": "Łucja Sekretarz", "email": "lucja@example.org", "category": "rops", "role": "secretary",
            "date_from": "2020-01-01", "locale": "pl", "title_form": "x"}
    bad = client.post(url, data=data, headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "Prosimy wybrać" in bad.get_data(as_text=True)
    ok = client.post(url, data=dict(data, title_form="f"), headers={"HX-Request": "true"})
    assert ok.status_code == 204 and "HX-Redirect" in ok.headers
    with _in_region(app, world):
        assert member(world.member_ids[SECRETARY]).title_form == "f"


def test_the_meeting_page_does_not_invent_a_deputy(app, world, login):
    with _in_region(app, world):
        deputy = _deputy(world, "f")
        meeting_id = _held(world, {world.member_ids[CHAIR]: "absent", deputy.id: "substitute"}).id
    client = login(app.test_client(), world.coordinator_id)
    page = client.get(f"/wielkopolskie/grupy/posiedzenia/{meeting_id}").get_data(as_text=True)
    assert "<dt>Przewodnictwo</dt><dd>– <span class=\"muted\">(nieobecność osoby wyznaczonej do przewodniczenia: " \
           "Zofia Żółkiewska)</span>" in page
    assert "w zastępstwie" not in page
