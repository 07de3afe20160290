"""The rendered-page cache (coordination/pagecache.py): hits, invalidation by any committed
write (also from another connection or another worker process), per-account keys, CSRF tokens
that stay the session's own, and everything that must never be replayed."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import select, text, update

from coordination import create_app
from coordination.auth.models import Membership
from coordination.extensions import db
from coordination.pagecache import current_generation
from coordination.tenancy import all_tenants

GROUPS = "/wielkopolskie/grupy/"
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"|"X-CSRFToken": ?"([^"]+)"')


def _state(resp) -> str | None:
    return resp.headers.get("X-Page-Cache")


def _tokens(body: str) -> set[str]:
    return {a or b for a, b in TOKEN.findall(body)}


def _warm(client, url=GROUPS, **kw):
    """Visit until the page is stored (the first visit of a session creates its CSRF token,
    which changes the session, so that rendering is not kept)."""
    for _ in range(3):
        resp = client.get(url, **kw)
        if _state(resp) in ("miss", "hit"):
            return resp
    raise AssertionError("page never stored")


@pytest.fixture
def coordinator(make_user):
    return make_user("koord@example.org", role="coordinator")


def test_repeat_visit_is_replayed_with_the_sessions_own_csrf_token(app, coordinator, make_group, login):
    make_group("Grupa ds. promocji")
    client = login(app.test_client(), coordinator)
    first = _warm(client)
    assert _state(first) == "miss"
    hit = client.get(GROUPS)
    assert _state(hit) == "hit" and hit.status_code == 200
    assert "Grupa ds. promocji" in hit.get_data(as_text=True)
    assert hit.headers["Cache-Control"] == "no-store"  # the after_request hooks still run
    assert "HX-Request" in hit.headers.get("Vary", "")
    # another browser of the same account: the replayed page carries that session's token
    other = login(app.test_client(), coordinator)
    replay = other.get(GROUPS)
    assert _state(replay) == "hit"
    own, foreign = _tokens(replay.get_data(as_text=True)), _tokens(first.get_data(as_text=True))
    assert own and own.isdisjoint(foreign)
    resp = other.post("/jezyk", data={"lang": "en", "csrf_token": own.pop(), "next": GROUPS})
    assert resp.status_code in (302, 303)  # the token of the replayed page is accepted
    # the locale is part of the key: the English page is rendered, not the cached Polish one
    english = other.get(GROUPS)
    assert _state(english) == "miss" and "Working groups" in english.get_data(as_text=True)


def test_any_committed_write_invalidates_even_from_another_connection(app, coordinator, make_group,
                                                                      login):
    gid = make_group("Stara nazwa")
    client = login(app.test_client(), coordinator)
    _warm(client)
    assert _state(client.get(GROUPS)) == "hit"
    with app.app_context():
        before = current_generation()
        db.session.remove()
        with db.engine.begin() as conn:  # e.g. the scheduler process: Core, no ORM session
            conn.execute(text("UPDATE work_group SET name = 'Nowa nazwa' WHERE id = :id"), {"id": gid})
        assert current_generation() == before + 1
        db.session.remove()
    resp = client.get(GROUPS)
    assert _state(resp) == "miss" and "Nowa nazwa" in resp.get_data(as_text=True)


def test_rolled_back_writes_and_reads_leave_the_generation(app, coordinator, make_group, ctx):
    gid = make_group("Grupa")
    before = current_generation()
    with db.engine.connect() as conn:
        conn.execute(text("UPDATE work_group SET name = 'X' WHERE id = :id"), {"id": gid})
        conn.rollback()
        conn.execute(text("SELECT count(*) FROM work_group")).scalar()
        conn.commit()
    assert current_generation() == before


def test_a_write_through_another_worker_reaches_this_workers_cache(app, database_url, coordinator,
                                                                   make_group, login):
    """Two app instances on one database stand for two gunicorn workers."""
    gid = make_group("Przed zmianą")
    other_worker = create_app({**{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "BASE_URL")},
                               "DATABASE_URL": database_url})
    try:
        a = login(app.test_client(), coordinator)
        _warm(a)
        assert _state(a.get(GROUPS)) == "hit"
        with other_worker.app_context(), all_tenants():
            db.session.execute(update(_group_table()).where(_group_table().c.id == gid)
                               .values(name="Po zmianie"))
            db.session.commit()
            db.session.remove()
        resp = a.get(GROUPS)
        assert _state(resp) == "miss" and "Po zmianie" in resp.get_data(as_text=True)
    finally:
        with other_worker.app_context():
            db.session.remove()
            db.engine.dispose()


def _group_table():
    return db.metadata.tables["work_group"]


def test_pages_are_per_account_and_the_guard_still_runs(app, tenants, coordinator, make_user,
                                                        make_group, login):
    make_group("Grupa")
    client = login(app.test_client(), coordinator)
    _warm(client)
    colleague = login(app.test_client(), make_user("drugi@example.org", role="coordinator"))
    assert _state(colleague.get(GROUPS)) is None  # own session's first page: rendered, not replayed
    stranger = login(app.test_client(), make_user("obcy@example.org", role="coordinator", tenant="lodzkie"))
    assert stranger.get(GROUPS).status_code == 404


def test_a_revoked_membership_is_not_served_from_the_cache(app, coordinator, make_group, login):
    make_group("Grupa")
    client = login(app.test_client(), coordinator)
    _warm(client)
    assert _state(client.get(GROUPS)) == "hit"
    with app.app_context(), all_tenants():
        db.session.delete(db.session.scalar(select(Membership).where(Membership.user_id == coordinator)))
        db.session.commit()
        db.session.remove()
    assert client.get(GROUPS).status_code == 404


def test_partial_and_full_pages_are_kept_apart(app, coordinator, make_group, login):
    make_group("Grupa")
    client = login(app.test_client(), coordinator)
    _warm(client)
    full = client.get(GROUPS)
    partial = _warm(client, headers={"HX-Request": "true"})
    assert "<html" in full.get_data(as_text=True) and "<html" not in partial.get_data(as_text=True)
    again = client.get(GROUPS, headers={"HX-Request": "true"})
    assert _state(again) == "hit" and "<html" not in again.get_data(as_text=True)


def test_flash_messages_and_query_strings(app, coordinator, make_group, login):
    make_group("Grupa")
    client = login(app.test_client(), coordinator)
    _warm(client)
    with client.session_transaction() as sess:
        sess["_flashes"] = [("success", "Zapisano zmiany.")]
    resp = client.get(GROUPS)
    assert _state(resp) is None and "Zapisano zmiany." in resp.get_data(as_text=True)
    assert _state(client.get(GROUPS)) == "hit"  # the flash was shown once, the page is cached again
    assert _state(client.get(GROUPS + "?strona=1")) == "miss"  # another query string, another page


def test_the_minute_of_the_app_clock_is_part_of_the_key(app, coordinator, make_group, login):
    make_group("Grupa")
    client = login(app.test_client(), coordinator)
    app.config["CLOCK"] = lambda: datetime(2026, 5, 4, 10, 0, 5)
    try:
        _warm(client)
        assert _state(client.get(GROUPS)) == "hit"
        app.config["CLOCK"] = lambda: datetime(2026, 5, 4, 10, 1, 0)
        assert _state(client.get(GROUPS)) == "miss"
    finally:
        app.config.pop("CLOCK", None)


def test_disabled_by_configuration(app, coordinator, make_group, login):
    make_group("Grupa")
    client = login(app.test_client(), coordinator)
    app.config["PAGE_CACHE_SECONDS"] = 0
    try:
        for _ in range(3):
            assert _state(client.get(GROUPS)) is None
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 60


def test_anonymous_pages_and_errors_are_never_stored(app, coordinator, login):
    anonymous = app.test_client()
    for _ in range(2):
        assert _state(anonymous.get("/deklaracja-dostepnosci")) is None
    client = login(app.test_client(), coordinator)
    for _ in range(3):
        resp = client.get("/wielkopolskie/grupy/999999")
        assert resp.status_code == 404 and _state(resp) is None


def test_the_cache_is_bounded_by_the_size_of_the_pages():
    from coordination.pagecache import PageCache, _Entry

    cache = PageCache(max_chars=3000, seconds=60)
    for i in range(5):
        cache.put(i, _Entry("x" * 900, (), False, False))
    assert len(cache) == 2 and cache.get(4) is not None and cache.get(0) is None


def test_writes_that_change_nothing_and_the_heartbeat_keep_the_generation(app, make_group):
    """Jobs poll every few seconds (export jobs, the send queue, the heartbeat): if those
    moved the generation, no page would stay cached for long in production."""
    from coordination.scheduler import heartbeat

    gid = make_group("Grupa")
    with app.app_context():
        before = current_generation()
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE work_group SET name = 'X' WHERE id = :id"), {"id": -1})
        heartbeat()
        heartbeat()
        assert current_generation() == before
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE work_group SET name = 'X' WHERE id = :id"), {"id": gid})
        assert current_generation() == before + 1
        db.session.remove()
