"""Query-count guards: every GET route, as coordinator and as admin, at 1× and 10× data.

The data is the isolation world (one object of every kind the URLs take) plus the synthetic
installation of coordination/synthetic.py at a small scale and at ten times that scale. A route
fails when its SQL statement count differs between the two (it grows with the data: an N+1)
or exceeds :data:`LIMIT`.
"""

from __future__ import annotations

from coordination import synthetic
from coordination.extensions import db
from tests.conftest import count_statements
from tests.isolation.world import build_world
from tests.perf.conftest import own_urls, wipe

#: the issue's ceiling of SQL statements per request.
LIMIT = 8
#: Routes allowed more than LIMIT statements, each with its reason (their counts must still not
#: grow with data). The former entries (national comparison, region home) were brought under the
#: limit by loading the account with its memberships in one statement and by moving the
#: survey/OWES comparisons to their own htmx-loaded sections.
OVER_LIMIT: dict[str, int] = {
    # a person's data (RODO): one read of each table linked to a person, so the number follows
    # the schema (about 25 tables for an account, 15 for a contact), never the data
    "privacy.account": 40,
    "tenant.privacy.contact": 20,
    # the keeping times: one count per kind of data past its time, plus the register
    "privacy.overview": 10,
}
#: synthetic scales of the two measurements (10× apart).
SMALL, LARGE = 0.05, 0.5
ROLES = ("coordinator", "admin")


def _measure(app, tenants, make_user, login, scale) -> dict:
    users, objects = build_world(app, tenants, make_user)
    with app.app_context():
        synthetic.seed(scale)
        db.session.remove()
    results = {}
    for role in ROLES:
        client = login(app.test_client(), users[role])
        for endpoint, url in own_urls(app, objects):
            with count_statements(app) as log:
                response = client.get(url)
            results[(endpoint, role)] = (response.status_code, log.count, log.statements)
    if scale == LARGE:
        _shows_the_larger_data(app, login, users, objects)
    return results


def _shows_the_larger_data(app, login, users, objects) -> None:
    """Sanity for the guard: at 10× the lists really hold more rows (not empty pages). Checked
    on the LARGE data of the guard itself (seeding it again would double the lane's time)."""
    client = login(app.test_client(), users["coordinator"])
    urls = dict(own_urls(app, objects))
    body = client.get(urls["tenant.users"]).get_data(as_text=True)
    assert body.count("@synthetic.example.org") == app.config["PER_PAGE"]
    body = client.get(urls["tenant.workgroups.group_list"]).get_data(as_text=True)
    assert "Grupa robocza ds. promocji" in body


def test_statement_counts_do_not_grow_with_data(app, tenants, make_user, login, monkeypatch):
    small = _measure(app, tenants, make_user, login, SMALL)
    wipe(app)
    large = _measure(app, tenants, make_user, login, LARGE)
    assert small.keys() == large.keys()
    assert any(status == 200 and n > 0 for status, n, _sql in large.values())
    failures = []
    for key in sorted(small):
        (s_status, s_count, _), (l_status, l_count, l_sql) = small[key], large[key]
        where = f"{key[0]} as {key[1]}"
        if s_status != l_status:
            failures.append(f"{where}: status {s_status} at 1×, {l_status} at 10×")
        if l_count != s_count:
            failures.append(f"{where}: {s_count} statements at 1×, {l_count} at 10×")
        limit = OVER_LIMIT.get(key[0], LIMIT)
        if l_count > limit:
            failures.append(f"{where}: {l_count} statements (limit {limit}):\n    "
                            + "\n    ".join(s.split("\n")[0][:120] for s in l_sql))
    assert not failures, "\n".join(failures)

