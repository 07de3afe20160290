"""50 concurrent submissions: with one token exactly one response; with 50 tokens 50 responses;
no server error, and the answer tallies equal a recount of the answers."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from coordination.extensions import db
from coordination.tenancy import all_tenants, tenant_context
from surveys import queries, services
from surveys.models import Answer, Respondent, Response
from tests.surveys.conftest import full_draft
from tests.surveys.tally_helpers import recounted_rows, tally_rows

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
    statuses, errors = _run_at_once(app, [f"/ankieta/{token}?strona={last}"] * THREADS)
    assert not errors, errors[:3]
    assert len(statuses) == THREADS
    assert all(s in (200, 303) for s in statuses), sorted(set(statuses))
    with app.app_context(), all_tenants():
        assert db.session.scalar(select(func.count(Response.id))) == 1
        assert db.session.scalar(select(func.count(Answer.id))) > n_answers
        person = db.session.get(Respondent, rid)
        assert person.completed and person.draft is None
        assert tally_rows() == recounted_rows() != []


def _run_at_once(app, urls: list[str]) -> tuple[list[int], list[BaseException]]:
    """POST "submit" to every token URL from its own thread, all released together (each
    client first exchanges its token for the session, as the link from the e-mail does)."""
    app.config["WTF_CSRF_ENABLED"] = False
    barrier = threading.Barrier(len(urls))
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(url):
        client = app.test_client()
        try:
            location = client.get(url).headers["Location"]
            barrier.wait(timeout=30)
            r = client.post(location, data={"action": "submit"})
            with lock:
                statuses.append(r.status_code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(url,)) for url in urls]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    return statuses, errors


def test_fifty_people_submitting_at_once_keep_the_tallies_exact(app, tenants, make_campaign, make_respondent):
    """50 tokens, 50 threads: every submission adds to the same tally rows at the same time."""
    cid = make_campaign()
    people = [make_respondent(cid, f"osoba{i}@example.org") for i in range(THREADS)]
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        pages = queries.sections_and_questions(cid)
        questions = queries.flat_questions(pages)
        for i, (rid, _token) in enumerate(people):
            person = db.session.get(Respondent, rid)
            draft = full_draft(questions, rating=str(1 + i % 5), text=f"uwaga {i % 3}",
                               category=("OWES", "JST", "NGO")[i % 3])
            services.save_draft(person, draft, [q.code for q in questions])
        last = len(pages)
        db.session.remove()
    statuses, errors = _run_at_once(app, [f"/ankieta/{token}?strona={last}" for _rid, token in people])
    assert not errors, errors[:3]
    assert len(statuses) == THREADS
    assert all(s in (200, 303) for s in statuses), sorted(set(statuses))
    with app.app_context(), all_tenants():
        assert db.session.scalar(select(func.count(Response.id))) == THREADS
        tallies = tally_rows()
        assert tallies == recounted_rows()
        answers_in_tallies = sum(row[8] for row in tallies)  # tenant_id, 7 key columns, answers, ...
        assert answers_in_tallies == db.session.scalar(select(func.count(Answer.id)))
