"""The write benchmark (issue 17, "Writes"): survey submissions and minutes comments per second
with 8 concurrent clients, against the rendered GET throughput of the same pages, and a check
that no single row is updated by every write transaction.

Runs on the smallest scale's database (``make bench`` calls :func:`run`; ``BENCH_WRITES=0``
skips it). Everything goes through real HTTP on its own gunicorn (same settings as the page
servers) whose clock starts inside the newest synthetic campaign (``SIECES_CLOCK_START``: the
synthetic calendar ends in 2025, and a survey only takes answers while it is open):

* **survey submissions** — distinct invited respondents of that campaign (every region), each
  through their own token link (``/ankieta/<token>``; synthetic tokens are
  ``syn:<region>:<year>:<n>``), answering every page of the questionnaire and submitting, so the
  anonymous response is stored exactly as in production;
* **minutes comments** — the synthetic coordinators of ``bench.config.TENANT``, logged in
  through the login form, send one draft for comments through the product's own form, then
  comment on its sections (CSRF token from the page, sections from the form's list).

Each kind alternates ``ROUNDS`` GET slices (8 clients on the page the writer reads: the
questionnaire's first page, the minutes page) with write slices of the same length.

Hotspot check (PostgreSQL): ``pg_stat_user_tables`` before and after each kind's bursts (rows
inserted / updated / deleted per write, per table), and a structural test: ``SAMPLES`` writes of
each kind one after another, each bracketed by ``txid_current()``; the rows whose ``xmin`` is
newer are the rows that write created or updated. A row in every sample's set is a row every
write transaction updates — a hotspot. None is expected: comments insert rows, submissions
flip their own respondent and add to answer tallies keyed by the answer given.
"""

from __future__ import annotations

import hashlib
import statistics
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from datetime import time as dtime

from bench import config, load
from bench.client import Browser, Failed, expect_redirect, form_on, submit_survey
from bench.server import Server

CLIENTS = 8
SLICE = max(2.0, config.SLICE)
ROUNDS = config.ROUNDS
#: sequential writes per kind of the structural hotspot check.
SAMPLES = 6
#: pg_stat counters reach the shared statistics at the latest 10 s after a backend goes idle.
STATS_SETTLE_S = 11


def _find(db_url: str) -> dict:
    """The newest synthetic campaign year, the open moment, invitees' tokens, a draft to send
    for comments (in the data of ``db_url``)."""
    from sqlalchemy import select

    from coordination import create_app
    from coordination.extensions import db
    from coordination.tenancy import all_tenants
    from surveys.models import Campaign, Respondent
    from tenants.models import Tenant
    from workgroups.models import Attendance, Group, GroupMember, Meeting, Minutes

    app = create_app({"DATABASE_URL": db_url, "SECRET_KEY": "bench-writes"})
    with app.app_context(), all_tenants():
        year = db.session.scalar(select(Campaign.year).order_by(Campaign.year.desc()).limit(1))
        opens = db.session.scalar(select(Campaign.opens_on).where(Campaign.year == year).limit(1))
        waiting = set(db.session.scalars(select(Respondent.token_hash).join(
            Campaign, Campaign.id == Respondent.campaign_id).where(
            Campaign.year == year, Respondent.completed.is_(False), Respondent.revoked.is_(False))))
        tokens = [token for slug in db.session.scalars(select(Tenant.slug).order_by(Tenant.slug))
                  for n in range(5000)
                  if hashlib.sha256((token := f"syn:{slug}:{year}:{n}").encode()).hexdigest() in waiting]
        attended = select(Attendance.id).join(GroupMember, GroupMember.id == Attendance.member_id).where(
            Attendance.meeting_id == Meeting.id, Attendance.status.in_(("present", "substitute")),
            GroupMember.email.is_not(None))
        meeting_id = db.session.scalar(  # a draft the coordinator can send: someone attended
            select(Meeting.id).join(Minutes, Minutes.meeting_id == Meeting.id)
            .join(Group, Group.id == Meeting.group_id).join(Tenant, Tenant.id == Group.tenant_id)
            .where(Tenant.slug == config.TENANT, Minutes.status == "draft", attended.exists())
            .order_by(Meeting.day.desc(), Meeting.id).limit(1))
        db.session.remove()
    with app.app_context():
        db.engine.dispose()
    # 10:00 in Warsaw a week after the campaign opened (inside every campaign of that year)
    moment = datetime.combine(opens + timedelta(days=7), dtime(9, 0)).isoformat() + "+00:00"
    return {"year": year, "clock_start": moment, "tokens": tokens, "meeting_id": meeting_id}


class _Stats:
    """``pg_stat_user_tables`` and ``xmin`` probes (PostgreSQL only)."""

    def __init__(self, db_url: str) -> None:
        from sqlalchemy import create_engine, text

        self.text = text
        self.engine = create_engine(db_url, isolation_level="AUTOCOMMIT")
        with self.engine.connect() as conn:
            self.keys = {}
            for table, column in conn.execute(text(
                    "SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)"
                    " WHERE i.indisprimary AND n.nspname = 'public' ORDER BY c.relname, a.attnum")):
                self.keys.setdefault(table, []).append(column)

    def counters(self) -> dict[str, Counter]:
        with self.engine.connect() as conn:
            conn.execute(self.text("SELECT pg_stat_clear_snapshot()"))
            return {row[0]: Counter(ins=row[1], upd=row[2], dele=row[3]) for row in conn.execute(self.text(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables"
                " WHERE schemaname = 'public'"))}

    def xid(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(self.text("SELECT txid_current() % 4294967296")))

    def written_since(self, xid: int) -> set[tuple]:
        """(table, primary key) of every row created or updated by a transaction after ``xid``."""
        from sqlalchemy import BigInteger, cast, column, literal_column, select, table

        found = set()
        newer = cast(literal_column("xmin::text"), BigInteger) > xid
        with self.engine.connect() as conn:
            for name, columns in self.keys.items():
                stmt = select(*map(column, columns)).select_from(table(name)).where(newer)
                found.update((name, *row) for row in conn.execute(stmt))
        return found

    def close(self) -> None:
        self.engine.dispose()


def _delta(before: dict[str, Counter], after: dict[str, Counter], writes: int) -> dict:
    """Per table: rows inserted / updated / deleted per write during the bursts."""
    out = {}
    for table, counts in after.items():
        diff = counts - before.get(table, Counter())
        if diff:
            out[table] = {k: round(v / writes, 2) for k, v in diff.items()} if writes else dict(diff)
    return dict(sorted(out.items()))


def _burst(seconds: float, work) -> tuple[int, int, int, float]:
    """CLIENTS threads calling ``work(client)`` until ``seconds`` passed; returns (writes,
    requests, errors, elapsed). ``work`` returns the requests it made, or None when it has
    nothing left to write."""
    writes, requests, errors = [0], [0], [0]
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def client(n: int) -> None:
        while time.perf_counter() < deadline:
            try:
                made = work(n)
            except (Failed, OSError):
                with lock:
                    errors[0] += 1
                continue
            if made is None:
                return
            with lock:
                writes[0] += 1
                requests[0] += made

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return writes[0], requests[0], errors[0], time.perf_counter() - started


def _measure(server: Server, page: str, cookie: str, work, log) -> dict:
    """Alternate GET slices of ``page`` and write slices; medians."""
    load.run(server.base, page, cookie, config.WARMUP, CLIENTS)
    gets, bursts = [], []
    for _round in range(ROUNDS):
        gets.append(load.run(server.base, page, cookie, SLICE, CLIENTS))
        bursts.append(_burst(SLICE, work))
    write_rps = [w / s for w, _r, _e, s in bursts]
    post_rps = [r / s for _w, r, _e, s in bursts]
    out = {
        "get_rps": statistics.median(g.rps for g in gets),
        "get_p50_ms": statistics.median(g.p50_ms for g in gets),
        "writes_per_s": statistics.median(write_rps),
        "write_requests_per_s": statistics.median(post_rps),
        "requests_per_write": sum(r for _w, r, _e, _s in bursts) / max(1, sum(w for w, *_ in bursts)),
        "writes": sum(w for w, *_ in bursts),
        "errors": sum(e for _w, _r, e, _s in bursts) + sum(g.errors for g in gets),
        "rounds": [{"get_rps": g.rps, "writes_per_s": w} for g, w in zip(gets, write_rps, strict=True)],
    }
    out["write_vs_get"] = out["write_requests_per_s"] / out["get_rps"] if out["get_rps"] else 0.0
    log(f"  writes {page}: {out['writes_per_s']:.1f} writes/s ({out['write_requests_per_s']:.1f} req/s,"
        f" {out['requests_per_write']:.1f} requests each) vs GET {out['get_rps']:.1f} req/s,"
        f" {out['errors']} errors")
    return out


def run(db_url: str, kind: str, log_dir: str, log=print) -> dict:
    """The write benchmark on ``db_url`` (a migrated, seeded database nobody else writes to)."""
    from coordination.synthetic import SYNTHETIC_PASSWORD, email

    found = _find(db_url)
    result: dict = {"clients": CLIENTS, "slice_s": SLICE, "rounds": ROUNDS, "database": kind,
                    "clock_start": found["clock_start"], "campaign_year": found["year"],
                    "invitees": len(found["tokens"]), "kinds": {}}
    if not found["tokens"] or found["meeting_id"] is None:
        result["status"] = "no data (extend surveys/workgroups synthetic.py)"
        return result
    server = Server(db_url, config.WORKERS, config.PER_PAGE, log_dir,
                    env={"SIECES_CLOCK_START": found["clock_start"]})
    server.start()
    stats = _Stats(db_url) if kind == "postgresql" else None
    try:
        coordinators = []
        for n in range(CLIENTS):
            person = Browser(server.base)
            person.login(email("coordinator", n % 2 + 1, config.TENANT), SYNTHETIC_PASSWORD)
            coordinators.append(person)
        minutes = f"/{config.TENANT}/grupy/posiedzenia/{found['meeting_id']}/protokol"
        sender = coordinators[0]
        form = form_on(sender.get(minutes + "/konsultacja").body, "/protokol/konsultacja")
        expect_redirect(sender.post(form.action, {**form.hidden, **form.defaults}), "send for comments")
        forms = [form_on(p.get(minutes).body, "/protokol/uwagi") for p in coordinators]
        sections = [s for s in forms[0].selects["section"] if s]
        sent = Counter()

        def comment(n: int) -> int:
            sent[n] += 1
            data = {**forms[n].hidden, "section": sections[sent[n] % len(sections)],
                    "body": f"Uwaga nr {sent[n]} klienta {n}: prosimy o doprecyzowanie zapisu."}
            expect_redirect(coordinators[n].post(forms[n].action, data), "comment")
            return 1

        tokens = list(found["tokens"])
        reader = tokens.pop()  # the respondent whose first page the GET slices read
        respondent = Browser(server.base)
        expect_redirect(respondent.get(f"/ankieta/{reader}"), "token link")
        lock = threading.Lock()

        def submission(_n: int) -> int | None:
            with lock:
                if not tokens:
                    return None
                token = tokens.pop()
            return submit_survey(Browser(server.base), token, len(tokens))

        plan = (("comment", minutes, coordinators[0], comment),
                ("survey", "/ankieta?strona=1", respondent, submission))
        for name, page, reader_person, work in plan:
            cookie = "; ".join(f"{k}={v}" for k, v in reader_person.cookies.items())
            before = stats.counters() if stats else None
            result["kinds"][name] = _measure(server, page, cookie, work, log)
            if stats:
                time.sleep(STATS_SETTLE_S)
                result["kinds"][name]["tables_per_write"] = _delta(
                    before, stats.counters(), result["kinds"][name]["writes"])
        if stats:
            result["hotspot"] = _hotspots(stats, {"comment": comment, "survey": submission})
        result["invitees_left"] = len(tokens)
        result["status"] = "ok"
    finally:
        if stats:
            stats.close()
        server.stop()
    return result


def _hotspots(stats: _Stats, work: dict) -> dict:
    """Rows written by every one of SAMPLES sequential writes, per kind and across kinds."""
    per_kind: dict[str, set] = {}
    for name, write in work.items():
        common = None
        for n in range(SAMPLES):
            xid = stats.xid()
            if write(n) is None:
                break
            rows = stats.written_since(xid)
            common = rows if common is None else common & rows
        per_kind[name] = common or set()
    both = set.intersection(*per_kind.values()) if per_kind else set()
    return {"samples": SAMPLES,
            "rows_every_write": {name: sorted(map(str, rows)) for name, rows in per_kind.items()},
            "rows_every_write_all_kinds": sorted(map(str, both)),
            "verdict": "none" if not any(per_kind.values()) else "found"}


def table(writes: dict) -> str:
    """The printed lines of the write benchmark."""
    if writes.get("status") != "ok":
        return f"writes: {writes.get('status', 'skipped')}"
    lines = [f"writes ({writes['database']}, {writes['clients']} clients, clock at "
             f"{writes['clock_start'][:10]}): kind | writes/s | write req/s | GET req/s | "
             "write req ÷ GET | req per write | errors"]
    for name, k in writes["kinds"].items():
        lines.append(f"  {name:8} | {k['writes_per_s']:8.1f} | {k['write_requests_per_s']:11.1f} | "
                     f"{k['get_rps']:9.1f} | {k['write_vs_get']:15.2f} | {k['requests_per_write']:13.1f}"
                     f" | {k['errors']}")
    hot = writes.get("hotspot")
    if hot:
        found = {name: rows for name, rows in hot["rows_every_write"].items() if rows}
        lines.append(f"  hotspot check ({hot['samples']} sequential writes per kind): "
                     + ("no row is written by every write" if not found else f"FOUND {found}"))
        for name, k in writes["kinds"].items():
            busy = {t: v for t, v in k.get("tables_per_write", {}).items() if v.get("upd", 0) >= 1}
            lines.append(f"  {name}: tables with ≥ 1 updated row per write: {busy or 'none'}")
    return "\n".join(lines)
