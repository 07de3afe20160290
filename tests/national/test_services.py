"""Services: template seed, versioning, sign-off rules, immutability, history, support, advocacy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coordination.audit import AuditLog
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context
from national import services
from national.models import (
    AdvocacyIssue,
    Diagnosis,
    DiagnosisArea,
    DiagnosisItem,
    DiagnosisRating,
)
from national.queries import region as rq
from tests.national.conftest import fill, full_rating, user, utcnow


def test_template_seed_is_idempotent_and_complete(ctx):
    created = services.ensure_template()
    assert created == 5 + 18 + 4
    assert services.ensure_template() == 0
    codes = list(db.session.scalars(select(DiagnosisItem.code).order_by(DiagnosisItem.id)))
    assert codes == ["I.1", "I.2", "I.3", "I.4", "II.1", "II.2", "II.3", "II.4", "II.5",
                     "III.1", "III.2", "III.3", "III.4", "IV.1", "IV.2", "IV.3", "V.1", "V.2"]
    assert db.session.scalar(select(DiagnosisItem.title).where(DiagnosisItem.code == "III.1")) \
        == "Stosowanie klauzul społecznych przez samorządy lokalne"
    assert [i.code for i in db.session.scalars(select(AdvocacyIssue).order_by(AdvocacyIssue.code))] \
        == ["A.1", "A.2", "A.3", "A.4"]


def test_edited_wording_survives_reseed_and_new_codes_are_checked(ctx, template, people):
    item = db.session.get(DiagnosisItem, template["III.1"])
    services.update_item(item, {"title": "Klauzule społeczne (nowe brzmienie)", "active": True},
                         actor=user(people["consultant"]))
    services.ensure_template()
    assert db.session.get(DiagnosisItem, template["III.1"]).title == "Klauzule społeczne (nowe brzmienie)"
    area = db.session.scalar(select(DiagnosisArea).where(DiagnosisArea.code == "III"))
    with pytest.raises(DomainError) as exc:
        services.add_item(area, "IV.9", "Zła pozycja", None, actor=user(people["consultant"]))
    assert exc.value.field == "code"
    with pytest.raises(DomainError):
        services.add_item(area, "III.1", "Duplikat", None, actor=user(people["consultant"]))
    added = services.add_item(area, "III.5", "Nowa pozycja", None, actor=user(people["consultant"]))
    assert added.position == 5


def _start(tenants, slug="wielkopolskie", **kw):
    return services.start_diagnosis(actor=kw.pop("actor"), **kw)


def test_baseline_then_update_copies_last_signed_and_needs_reason(ctx, tenants, template, people):
    consultant, coordinator = user(people["consultant"]), user(people["coordinator"])
    with tenant_context(tenants["wielkopolskie"]):
        base = services.start_diagnosis(actor=consultant)
        assert (base.version, base.kind, base.status) == (1, "baseline", "draft")
        assert db.session.scalar(select(func.count(DiagnosisRating.id))) == 18
        with pytest.raises(DomainError):  # one draft at a time
            services.start_diagnosis(actor=consultant)
        fill(base, consultant, {template["III.1"]: full_rating(need=3, state=1, priority="H",
                                                                consultant_notes="tajne")})
        services.sign(base, "consultant", actor=consultant)
        services.sign(base, "coordinator", actor=coordinator)
        assert base.status == "signed" and base.signed_at is not None
        with pytest.raises(DomainError) as exc:
            services.start_diagnosis(actor=coordinator)
        assert exc.value.field == "reason"
        update = services.start_diagnosis(actor=coordinator, reason="Nowy RPRES")
        assert (update.version, update.kind, update.based_on_id) == (2, "update", base.id)
        copied = rq.rating_or_blank(update, template["III.1"])
        assert (copied.need, copied.state, copied.priority, copied.consultant_notes) == (3, 1, "H", "tajne")


def test_sign_off_rules(ctx, tenants, template, people):
    consultant, coordinator = user(people["consultant"]), user(people["coordinator"])
    with tenant_context(tenants["wielkopolskie"]):
        d = services.start_diagnosis(actor=consultant)
        with pytest.raises(DomainError, match="III.1"):  # incomplete
            services.sign(d, "consultant", actor=consultant)
        fill(d, consultant)
        with pytest.raises(DomainError):  # a coordinator is no consultant
            services.sign(d, "consultant", actor=coordinator)
        with pytest.raises(DomainError):  # a consultant is not the region's coordinator
            services.sign(d, "coordinator", actor=consultant)
        with pytest.raises(DomainError):  # coordinator of another region
            services.sign(d, "coordinator", actor=user(people["coordinator_lodz"]))
        services.sign(d, "consultant", actor=consultant)
        assert d.status == "draft"
        with pytest.raises(DomainError):  # twice in one role
            services.sign(d, "consultant", actor=consultant)
        # a change after a sign-off withdraws it
        services.save_rating(d, template["I.1"], full_rating(need=1), actor=coordinator, consultant=False)
        assert d.consultant_signed_by_id is None
        services.sign(d, "coordinator", actor=coordinator)
        assert d.status == "draft"
        services.sign(d, "consultant", actor=consultant)
        assert d.status == "signed"
        actions = list(db.session.scalars(select(AuditLog.action).where(AuditLog.action == "diagnosis.sign")))
        assert len(actions) == 3


def test_the_same_person_cannot_sign_both_sides(ctx, tenants, template, make_user):
    both = make_user("obie@example.org", "coordinator", "wielkopolskie", national=True)
    with tenant_context(tenants["wielkopolskie"]):
        d = services.start_diagnosis(actor=user(both))
        fill(d, user(both))
        services.sign(d, "consultant", actor=user(both))
        with pytest.raises(DomainError, match="dwie różne osoby"):
            services.sign(d, "coordinator", actor=user(both))


@pytest.fixture
def signed(ctx, tenants, template, people):
    consultant, coordinator = user(people["consultant"]), user(people["coordinator"])
    with tenant_context(tenants["wielkopolskie"]):
        d = services.start_diagnosis(actor=consultant)
        fill(d, consultant)
        services.sign(d, "consultant", actor=consultant)
        services.sign(d, "coordinator", actor=coordinator)
        return d.id


def test_signed_version_is_immutable_in_services(ctx, tenants, template, people, signed):
    consultant = user(people["consultant"])
    with tenant_context(tenants["wielkopolskie"]):
        d = db.session.get(Diagnosis, signed)
        with pytest.raises(services.DiagnosisLocked):
            services.save_rating(d, template["I.1"], full_rating(need=0), actor=consultant, consultant=True)
        with pytest.raises(services.DiagnosisLocked):
            services.sign(d, "consultant", actor=consultant)
        with pytest.raises(services.DiagnosisLocked):
            services.discard_draft(d, actor=consultant)
        assert rq.rating_or_blank(d, template["I.1"]).need == 2


def test_signed_version_is_immutable_even_for_direct_orm_writes(ctx, tenants, template, signed):
    with tenant_context(tenants["wielkopolskie"]):
        rating = db.session.scalar(select(DiagnosisRating).where(DiagnosisRating.diagnosis_id == signed))
        rating.need = 0
        with pytest.raises(services.DiagnosisLocked):
            db.session.flush()
        db.session.rollback()
        d = db.session.get(Diagnosis, signed)
        d.reason = "zmiana"
        with pytest.raises(services.DiagnosisLocked):
            db.session.flush()
        db.session.rollback()
        db.session.add(DiagnosisRating(diagnosis_id=signed, item_id=template["I.1"], support_forms=[],
                                       target_groups=[]))
        with pytest.raises(services.DiagnosisLocked):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(Diagnosis, signed))
        with pytest.raises(services.DiagnosisLocked):
            db.session.flush()
        db.session.rollback()


def test_item_history_across_versions(ctx, tenants, template, people):
    consultant, coordinator = user(people["consultant"]), user(people["coordinator"])
    item = template["III.1"]
    with tenant_context(tenants["wielkopolskie"]):
        for version, need in ((1, 3), (2, 2), (3, 1)):
            reason = None if version == 1 else f"Aktualizacja {version}"
            d = services.start_diagnosis(actor=consultant, reason=reason)
            fill(d, consultant, {item: full_rating(need=need, state=5 - need)})
            if version < 3:
                services.sign(d, "consultant", actor=consultant)
                services.sign(d, "coordinator", actor=coordinator)
        history = rq.item_history(item)
        assert [(v.version, v.status, r.need, r.state) for v, r in history] == [
            (1, "signed", 3, 2), (2, "signed", 2, 3), (3, "draft", 1, 4)]
    with tenant_context(tenants["lodzkie"]):
        assert rq.item_history(item) == []


def test_rating_validation(ctx, tenants, template, people):
    with tenant_context(tenants["wielkopolskie"]):
        d = services.start_diagnosis(actor=user(people["consultant"]))
        for bad, field in (({"state": 6}, "state"), ({"need": -1}, "need"), ({"priority": "X"}, "priority"),
                           ({"support_forms": ["picnic"]}, "support_forms")):
            with pytest.raises(DomainError) as exc:
                services.save_rating(d, template["I.1"], bad, actor=user(people["consultant"]), consultant=True)
            assert exc.value.field == field


def test_coordinator_cannot_change_consultant_notes(ctx, tenants, template, people):
    with tenant_context(tenants["wielkopolskie"]):
        d = services.start_diagnosis(actor=user(people["consultant"]))
        services.save_rating(d, template["I.1"], full_rating(consultant_notes="tylko dla konsultanta"),
                             actor=user(people["consultant"]), consultant=True)
        services.save_rating(d, template["I.1"], full_rating(need=3, consultant_notes="podmiana",
                                                             consultant_notes_released=True),
                             actor=user(people["coordinator"]), consultant=False)
        r = rq.rating_or_blank(d, template["I.1"])
        assert (r.need, r.consultant_notes, r.consultant_notes_released) == (3, "tylko dla konsultanta", False)


def test_discard_draft(ctx, tenants, template, people):
    with tenant_context(tenants["wielkopolskie"]):
        d = services.start_diagnosis(actor=user(people["consultant"]))
        services.discard_draft(d, actor=user(people["consultant"]))
        assert db.session.scalar(select(func.count(Diagnosis.id))) == 0
        assert db.session.scalar(select(func.count(DiagnosisRating.id))) == 0


def test_support_log_and_totals(ctx, tenants, template, people):
    actor = user(people["coordinator"])
    committee = [f"Członek Komitetu {n}" for n in range(10)]
    with tenant_context(tenants["wielkopolskie"]):
        e = services.save_support_entry(None, {"held_on": date(2019, 5, 6), "form": "workshop",
                                               "topic": "Klauzule", "hours": 6,
                                               "rops_staff": "Anna Nowak\nJan Mazur\n\nEwa Król\nPiotr Baran",
                                               "committee_members": "\n".join(committee),
                                               "planners": ["Ewa Sikora", "Jan Dudek"]},
                                        [template["III.1"]], actor=actor)
        # two of the same people come again (spelled with other spacing and case): attendances 6, persons 4
        services.save_support_entry(None, {"held_on": date(2019, 6, 6), "form": "advice", "topic": "RPRES",
                                           "hours": 2.5, "rops_staff": "anna  nowak\nJan Mazur"}, [], actor=actor)
        assert rq.support_totals() == {"entries": 2, "hours": 8.5, "rops_staff": 6,
                                       "committee_members": 10, "planners": 2,
                                       "persons": {"rops_staff": 4, "committee_members": 10, "planners": 2}}
        progress = rq.target_progress(rq.support_totals()["persons"])
        assert progress["rops_staff"] == {"reached": 4, "target": 60, "percent": 7}
        assert rq.entry_participants(e)["rops_staff"] == ["Anna Nowak", "Jan Mazur", "Ewa Król", "Piotr Baran"]
        services.save_support_entry(e, {"held_on": date(2019, 5, 6), "form": "workshop", "topic": "Klauzule",
                                        "hours": 6, "planners": "Ewa Sikora\nJan Dudek"},
                                    [template["III.1"], template["III.2"]], actor=actor)
        assert sorted(rq.entry_item_ids(e)) == sorted([template["III.1"], template["III.2"]])
        assert rq.support_totals()["persons"] == {"rops_staff": 2, "committee_members": 0, "planners": 2}
        assert rq.distinct_persons(item_id=template["III.2"]) == {
            tenants["wielkopolskie"]: {"rops_staff": 0, "committee_members": 0, "planners": 2}}
        items, total = rq.support_page(1, 10, item_id=template["III.2"])
        assert total == 1 and items[0].id == e.id
        with pytest.raises(DomainError) as exc:
            services.save_support_entry(None, {"held_on": date(2019, 5, 6), "form": "party", "topic": "x"},
                                        [], actor=actor)
        assert exc.value.field == "form"
        with pytest.raises(DomainError) as exc:  # one person twice in one list would count twice
            services.save_support_entry(None, {"held_on": date(2019, 5, 6), "form": "advice", "topic": "x",
                                               "hours": 1, "planners": "Jan Dudek\nJAN DUDEK"}, [], actor=actor)
        assert exc.value.field == "planners"
        services.delete_support_entry(e, actor=actor)
        assert rq.support_totals()["entries"] == 1
    with tenant_context(tenants["lodzkie"]):
        assert rq.support_totals()["entries"] == 0


def test_advocacy_workflow_moves_one_step_forward(ctx, template, people):
    actor = user(people["consultant"])
    issue = db.session.scalar(select(AdvocacyIssue).where(AdvocacyIssue.code == "A.2"))
    with pytest.raises(DomainError):
        services.add_step(issue, date(2019, 1, 1), "Skok", "in_dialogue", actor=actor)
    services.add_step(issue, date(2019, 1, 1), "Wysłano do UZP", "submitted", actor=actor)
    services.add_step(issue, date(2019, 2, 1), "Notatka bez zmiany statusu", None, actor=actor)
    services.add_step(issue, date(2019, 3, 1), "Spotkanie", "in_dialogue", actor=actor)
    with pytest.raises(DomainError):
        services.add_step(issue, date(2019, 4, 1), "Wstecz", "submitted", actor=actor)
    services.add_step(issue, date(2019, 5, 1), "Przyjęto wzór", "resolved", actor=actor)
    assert issue.status == "resolved"
    services.save_issue(issue, {"title": issue.title, "region_slugs": ["lodzkie", "slaskie"]}, actor=actor)
    assert issue.region_slugs == ["lodzkie", "slaskie"]
    with pytest.raises(DomainError):
        services.save_issue(issue, {"title": issue.title, "region_slugs": ["atlantyda"]}, actor=actor)
    new = services.save_issue(None, {"code": "A.5", "title": "Nowa sprawa"}, actor=actor)
    assert new.status == "identified"
    with pytest.raises(DomainError):
        services.save_issue(None, {"code": "A.5", "title": "Duplikat"}, actor=actor)


def test_outdated_helper_uses_twelve_months(ctx):
    from national.queries.comparison import OUTDATED_AFTER

    assert OUTDATED_AFTER == timedelta(days=365)
    assert utcnow() - OUTDATED_AFTER < utcnow()


def test_overview_counts_the_groups_the_region_calls_active(app, tenants, pinned_clock):
    """The national overview's "active groups" agree with the region's list: an active group
    whose term ended is shown there as "term ended" and is not counted as active."""
    from datetime import date, datetime, time

    from coordination.clock import WARSAW
    from national.queries import regions_overview
    from workgroups.models import Group

    pinned_clock.set(datetime.combine(date(2027, 1, 1), time(9), tzinfo=WARSAW))
    with app.app_context(), tenant_context(tenants["opolskie"]):
        db.session.add_all([
            Group(name="Trwa", kind="promotion", status="active", term_end=date(2027, 1, 1)),
            Group(name="Bez kadencji", kind="business", status="active"),
            Group(name="Kadencja minęła", kind="education", status="active", term_end=date(2026, 12, 31)),
            Group(name="Zamknięta", kind="reintegration", status="closed"),
        ])
        db.session.commit()
        rows = {r["tenant"].slug: r["groups"] for r in regions_overview()}
        db.session.remove()
    assert rows["opolskie"] == 2
