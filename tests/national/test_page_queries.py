"""The diagnosis page's one-query tree and the unrated items derived from it."""

from __future__ import annotations

from sqlalchemy import select

from coordination.extensions import db
from coordination.tenancy import tenant_context
from national import services
from national.models import DiagnosisArea, DiagnosisItem, DiagnosisRating
from national.queries import region as rq
from national.services.diagnosis import incomplete_items
from tests.national.conftest import full_rating, user


def _reference_tree(diagnosis) -> list[tuple]:
    """The tree as the template and the ratings define it, read separately."""
    ratings = {r.item_id: r for r in db.session.scalars(
        select(DiagnosisRating).where(DiagnosisRating.diagnosis_id == diagnosis.id))}
    out = []
    for node in rq.template_tree():
        rows = [(item.code, ratings.get(item.id)) for item in node["items"]
                if item.id in ratings or (item.active and diagnosis.status == "draft")]
        if rows:
            out.append((node["area"].code, rows))
    return out


def _tree(diagnosis) -> list[tuple]:
    return [(node["area"].code, [(item.code, r) for item, r in node["rows"]]) for node in rq.diagnosis_detail(diagnosis)]


def test_detail_tree_and_unrated_items(ctx, tenants, template, people):
    consultant = user(people["consultant"])
    with tenant_context(tenants["wielkopolskie"]):
        d = services.start_diagnosis(actor=consultant)
        for code in ("I.1", "III.1"):
            services.save_rating(d, template[code], full_rating(), actor=consultant, consultant=True)
        services.save_rating(d, template["II.1"], {"state": 2}, actor=consultant, consultant=True)
        area = db.session.scalars(select(DiagnosisArea).order_by(DiagnosisArea.position)).first()
        db.session.add(DiagnosisItem(area_id=area.id, code="I.99", title="Nowa pozycja", position=99))
        db.session.get(DiagnosisItem, template["I.1"]).active = False  # retired but rated: still shown
        db.session.commit()
        tree = _tree(d)
        assert tree == _reference_tree(d)
        ratings = {code: r for _area, rows in tree for code, r in rows}
        assert ratings["I.99"] is None and ratings["I.1"] is not None
        missing = rq.unrated_codes(rq.diagnosis_detail(d))
        assert missing == incomplete_items(d) and "II.1" in missing and "I.1" not in missing
        assert "I.99" not in missing  # no rating row yet: the same as the sign-off check
