"""An OWES consultation round closing on 29 February (a leap day) takes comments until midnight
in Warsaw, and its "closes soon" notice comes three days before, at 8:00 Warsaw time. The test
sets the clock itself (``pinned_clock``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from coordination import clock
from coordination.auth.models import User
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.notifications.models import Notification
from coordination.tenancy import tenant_context
from owes.models import ConsultationComment
from owes.services import evaluation


def test_consultation_round_closing_on_29_february(app, world, pinned_clock):
    pinned_clock.set(datetime(2028, 2, 1, 9, 0, tzinfo=UTC))
    with app.test_request_context(), tenant_context(world.tenant_id):
        coordinator = db.session.get(User, world.users["coordinator"])
        owes_user = db.session.get(User, world.users["owes"])
        study = evaluation.save_study(None, {"kind": "midterm", "owes_id": world.owes_id, "title": "Ewaluacja 2028",
                                             "evaluator": "Zespół"}, actor=coordinator)
        rnd = evaluation.open_round(study, {"opens_on": date(2028, 2, 1), "closes_on": date(2028, 2, 29),
                                            "participants": ["rops", "owes"]}, actor=coordinator)
        closing = db.session.scalars(select(Notification.due_at).where(
            Notification.kind == "consultation_closing")).all()
        assert closing and set(closing) == {datetime(2028, 2, 26, 7, 0)}  # 8:00 CET, 26 February

        # 29 February, 23:59:59 in Warsaw: the last day, comments are accepted
        pinned_clock.set(datetime(2028, 2, 29, 22, 59, 59, tzinfo=UTC))
        assert evaluation.accepting_comments(rnd)
        evaluation.add_comment(rnd, {"section": "Rozdział 1", "comment": "Uwaga w ostatniej chwili"}, actor=owes_user)
        # 1 March, 00:00 in Warsaw (still 29 February in UTC): the round no longer takes comments
        pinned_clock.set(datetime(2028, 2, 29, 23, 0, tzinfo=UTC))
        assert clock.today() == date(2028, 3, 1)
        assert not evaluation.accepting_comments(rnd)
        with pytest.raises(DomainError):
            evaluation.add_comment(rnd, {"section": "Rozdział 1", "comment": "Za późno"}, actor=owes_user)
        assert [c.comment for c in db.session.scalars(select(ConsultationComment))] == ["Uwaga w ostatniej chwili"]
