"""50 concurrent submissions with one token: exactly one response, no server error."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from coordination.extensions import db
from coordination.tenancy import all_tenants, tenant_context
from surveys import queries, services
from surveys.models import Answer, Respondent, Response
from tests.surveys.conftest import full_draft

THREADS = 50


def test_fifty_concurrent_submits_store_one_response(app, tenants, make_campaign, make_respondent):
    cid = make_campaign()
    rid, token = make_respondent(cid, "ala@example.org")
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        pages = queries.sections_and_questions(cid)
        questions = queries.flat_questions(pages)
        person = db.session.get(Respondent, rid)
        services.save_draft(person, full_draft(questions), [q.code for q in questions])
        last = len(pages)
        n_answers = len(pages[-1][1])
        db.session.remove()
    app.config["WTF_CSRF_ENABLED"] = False
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker():
        client = app.test_client()
        try:
            barrier.wait(timeout=30)
            r = client.post(f"/ankieta/{token}?strona={last}", data={"action": "submit"})
            with lock:
                statuses.append(r.status_code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert not errors, errors[:3]
    assert len(statuses) == THREADS
    assert all(s in (200, 303) for s in statuses), sorted(set(statuses))
    with app.app_context(), all_tenants():
        assert db.session.scalar(select(func.count(Response.id))) == 1
        assert db.session.scalar(select(func.count(Answer.id))) > n_answers
        person = db.session.get(Respondent, rid)
        assert person.completed and person.draft is None
