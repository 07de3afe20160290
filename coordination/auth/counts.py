"""People per role in each region, kept by the database itself.

``membership_count`` (:class:`coordination.auth.models.MembershipCount`) holds one row per
(region, role) with the number of memberships. Triggers on ``membership`` keep it: an insert
adds one, a delete takes one off (also a delete by a cascade, e.g. an erased account), a change
of role or region moves one. Triggers rather than the services, so that no writer — a bulk
load, a cascade, a script — can leave the figure behind. The national overview reads these 16 ×
roles rows instead of counting every membership of the country on each request (at ten times
a national installation's data the count took 4 ms of the page; docs/bench.md).

A change of memberships locks its region's row for that role until it commits: memberships
change a few times a day, so concurrent writers queue for a moment at most.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import text

_UPSERT = ("INSERT INTO membership_count (tenant_id, role, n) VALUES ({row}.tenant_id, {row}.role, 1) "
           "ON CONFLICT (tenant_id, role) DO UPDATE SET n = membership_count.n + 1")
_TAKE = "UPDATE membership_count SET n = n - 1 WHERE tenant_id = {row}.tenant_id AND role = {row}.role"

TRIGGERS = {
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION membership_count_keep() RETURNS trigger AS $$
        BEGIN
            IF TG_OP IN ('DELETE', 'UPDATE') THEN {_TAKE.format(row="OLD")}; END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN {_UPSERT.format(row="NEW")}; END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
        "DROP TRIGGER IF EXISTS membership_count_keep ON membership",
        """CREATE TRIGGER membership_count_keep AFTER INSERT OR DELETE OR UPDATE OF tenant_id, role
        ON membership FOR EACH ROW EXECUTE FUNCTION membership_count_keep()""",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS membership_count_insert",
        "DROP TRIGGER IF EXISTS membership_count_delete",
        "DROP TRIGGER IF EXISTS membership_count_update",
        f"CREATE TRIGGER membership_count_insert AFTER INSERT ON membership BEGIN {_UPSERT.format(row='NEW')}; END",
        f"CREATE TRIGGER membership_count_delete AFTER DELETE ON membership BEGIN {_TAKE.format(row='OLD')}; END",
        f"""CREATE TRIGGER membership_count_update AFTER UPDATE OF tenant_id, role ON membership
        BEGIN {_TAKE.format(row='OLD')}; {_UPSERT.format(row='NEW')}; END""",
    ],
}


def install(connection) -> None:
    """Create (or replace) the triggers and recount every region from ``membership``: after
    ``create_all`` (tests, a new installation) and in the migration that added the table."""
    for statement in TRIGGERS[connection.dialect.name]:
        connection.execute(text(statement))
    connection.execute(text("DELETE FROM membership_count"))
    connection.execute(text("INSERT INTO membership_count (tenant_id, role, n) "
                            "SELECT tenant_id, role, count(*) FROM membership GROUP BY tenant_id, role"))


@contextmanager
def paused(connection):
    """The triggers off while a restore copies a backup's tables verbatim, ``membership_count``
    included (PostgreSQL, the only target of such a copy); on again at the end."""
    connection.execute(text("ALTER TABLE membership DISABLE TRIGGER membership_count_keep"))
    try:
        yield
    finally:
        connection.execute(text("ALTER TABLE membership ENABLE TRIGGER membership_count_keep"))
