"""Reads of the privacy module: who a person is, and every row linked to them.

The export walks the schema (:func:`linked_columns`): every column with a foreign key to an
account (``user_account``) or a group membership (``group_member``, a contact without an
account) is followed, so a new module's tables join the export without being named here.
A few links carry no foreign key on purpose and are listed in :data:`EXTRA_LINKS`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import LargeBinary, Table, select

from coordination.extensions import db
from coordination.tenancy import all_tenants

#: the tables that are a person.
PERSON_TABLES = ("user_account", "group_member")
#: links without a foreign key: (table, column, what the column holds).
EXTRA_LINKS = (
    ("audit_log", "actor_id", "user"),          # kept when the account goes, so no FK
    ("survey_respondent", "email", "email"),    # invitations by address
    ("notification", "recipient", "email"),     # messages to contacts without an account
    ("notification_preference", "email", "email"),
)
#: columns never exported: secrets (hashes of tokens and passwords).
SECRET_COLUMNS = frozenset({"password_hash", "reset_nonce", "token_hash"})
#: columns that would undo the survey's anonymity for whoever downloads the export (the
#: coordinator): whether and when the person answered, was reminded, or their unsent answers.
#: The survey shows completion only in batches of five; a person's copy must not be a way round.
ANONYMITY_COLUMNS = {"survey_respondent": frozenset({"completed", "completed_on", "completion_shown",
                                                     "draft", "reminders", "reminded_at"})}


def email_hash(email: str) -> str:
    """sha256 (hex) of a lower-case address: how the register remembers it."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def linked_columns() -> list[tuple[Table, str, str]]:
    """``(table, column, kind)`` for every link to a person; kind is ``user``, ``member`` or
    ``email``. Self-references of the person tables (a substitute's row) are not links."""
    links: list[tuple[Table, str, str]] = []
    for table in db.metadata.sorted_tables:
        if table.name in PERSON_TABLES:
            continue
        for fk in table.foreign_key_constraints:
            target = fk.referred_table.name
            if target not in PERSON_TABLES:
                continue
            column = next(c.name for c in fk.columns if c.name != "tenant_id")
            links.append((table, column, "user" if target == "user_account" else "member"))
    for name, column, kind in EXTRA_LINKS:
        links.append((db.metadata.tables[name], column, kind))
    return links


def linked_table_names() -> list[str]:
    """Every table the export of a person contains (the person tables first)."""
    names = list(PERSON_TABLES)
    for table, _column, _kind in linked_columns():
        if table.name not in names:
            names.append(table.name)
    return names


@dataclass
class Person:
    """Whose data: an account and/or group memberships (contacts), and their addresses."""

    user_id: int | None = None
    member_ids: list[int] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    #: the region the request is limited to (a coordinator's request); None: all regions.
    tenant_id: int | None = None


def person_for_user(user_id: int, tenant_id: int | None = None) -> Person:
    """The account ``user_id`` with its group memberships (in ``tenant_id`` only, if given)."""
    users = db.metadata.tables["user_account"]
    members = db.metadata.tables["group_member"]
    email = db.session.execute(select(users.c.email).where(users.c.id == user_id)).scalar_one()
    stmt = select(members.c.id, members.c.email).where(members.c.user_id == user_id)
    if tenant_id is not None:
        stmt = stmt.where(members.c.tenant_id == tenant_id)
    rows = db.session.execute(stmt).all()
    emails = sorted({email.lower(), *(r.email.lower() for r in rows if r.email)})
    return Person(user_id=user_id, member_ids=[r.id for r in rows], emails=emails,
                  tenant_id=tenant_id)


def person_for_member(member_id: int, tenant_id: int) -> Person | None:
    """A contact of region ``tenant_id``: the membership ``member_id`` and the region's other
    memberships with the same address (one person in several groups). None: not in the region."""
    members = db.metadata.tables["group_member"]
    row = db.session.execute(select(members).where(members.c.id == member_id,
                                                   members.c.tenant_id == tenant_id)).first()
    if row is None:
        return None
    ids, emails = [row.id], []
    if row.email:
        emails = [row.email.lower()]
        ids = list(db.session.scalars(select(members.c.id).where(
            members.c.tenant_id == tenant_id, members.c.email == row.email).order_by(members.c.id)))
    return Person(member_ids=ids, emails=emails, tenant_id=tenant_id)


def _where(table: Table, column: str, values: list, person: Person):
    stmt = select(*(table.c[name] for name in exportable_columns(table))).where(table.c[column].in_(values))
    if table.name == "notification":  # survey invitations and reminders tell who has not answered
        from coordination.notifications.kinds import private_kinds

        stmt = stmt.where(table.c.kind.not_in(private_kinds()))
    if person.tenant_id is not None and "tenant_id" in table.c:
        stmt = stmt.where(table.c.tenant_id == person.tenant_id)
    pk = list(table.primary_key.columns)
    return stmt.order_by(*pk)


def person_statements(person: Person) -> dict[str, list]:
    """table name -> SELECTs of the person's rows (Core: explicit region filter above)."""
    statements: dict[str, list] = {name: [] for name in linked_table_names()}
    users = db.metadata.tables["user_account"]
    members = db.metadata.tables["group_member"]
    if person.user_id is not None:
        statements["user_account"].append(select(users).where(users.c.id == person.user_id))
    if person.member_ids:
        statements["group_member"].append(_where(members, "id", person.member_ids, person))
    values = {"user": [person.user_id] if person.user_id is not None else [],
              "member": person.member_ids, "email": person.emails}
    for table, column, kind in linked_columns():
        if values[kind]:
            statements[table.name].append(_where(table, column, values[kind], person))
    return statements


def exportable_columns(table: Table) -> list[str]:
    """Columns written to the export (secrets and what would reveal a survey answer left out)."""
    hidden = SECRET_COLUMNS | ANONYMITY_COLUMNS.get(table.name, frozenset())
    return [c.name for c in table.columns if c.name not in hidden]


def is_file_column(table: Table, name: str) -> bool:
    return isinstance(table.c[name].type, LargeBinary)


def person_rows(person: Person):
    """Yield ``(table, rows)`` for every linked table (rows as dicts, each row once)."""
    with all_tenants():
        for name, statements in person_statements(person).items():
            table = db.metadata.tables[name]
            pk = [c.name for c in table.primary_key.columns]
            seen, rows = set(), []
            for stmt in statements:
                for row in db.session.execute(stmt).mappings():
                    key = tuple(row[c] for c in pk)
                    if key not in seen:
                        seen.add(key)
                        rows.append(dict(row))
            yield table, rows


#: what erasure does to a table's uploaded files (``uploaded_files`` of the manifests).
PERSONAL, RECORD = "personal", "record"


def file_tables() -> dict[str, str]:
    """Table name -> ``"personal"`` or ``"record"``, from every manifest's ``uploaded_files``."""
    from coordination.modules import manifests

    found: dict[str, str] = {}
    for manifest in manifests():
        found.update(manifest.uploaded_files)
    return found


def file_columns(table: Table) -> list[str]:
    """The columns of ``table`` that hold uploaded files (bytes)."""
    return [c.name for c in table.columns if isinstance(c.type, LargeBinary)]


def file_links() -> list[tuple[Table, str, str]]:
    """:func:`linked_columns` of the tables that hold files (what erasure must decide about)."""
    return [link for link in linked_columns() if file_columns(link[0])]


@dataclass
class Files:
    """Uploaded files linked to a person in one table, and what erasure does with them."""

    table: str
    label: str
    fate: str
    count: int

    @property
    def personal(self) -> bool:
        return self.fate == PERSONAL


def files_of(person: Person) -> list[Files]:
    """The person's uploaded files by table (tables without any left out): the erasure page
    says which are deleted and which kept. A table no manifest classifies counts as kept."""
    from sqlalchemy import func, literal, or_, union_all

    from coordination.labels import table_label

    values = {"user": [person.user_id] if person.user_id is not None else [],
              "member": person.member_ids, "email": person.emails}
    counts = []  # one SELECT count(*) per link, read together in one UNION ALL
    for table, column, kind in file_links():
        if not values[kind]:
            continue
        has_file = or_(*(table.c[name].isnot(None) for name in file_columns(table)))
        stmt = select(literal(table.name).label("name"), func.count().label("n")).select_from(
            table).where(table.c[column].in_(values[kind]), has_file)
        if person.tenant_id is not None and "tenant_id" in table.c:
            stmt = stmt.where(table.c.tenant_id == person.tenant_id)
        counts.append(stmt)
    found: dict[str, int] = {}
    if counts:
        with all_tenants():
            for name, n in db.session.execute(union_all(*counts)):
                found[name] = found.get(name, 0) + n
    fates = file_tables()
    return [Files(name, table_label(name), fates.get(name, RECORD), count)
            for name, count in found.items() if count]


def count_rows(person: Person) -> int:
    """How many rows the export of ``person`` will have (for the progress bar)."""
    return sum(len(rows) for _table, rows in person_rows(person))


def erasures_page(page: int, per_page: int):
    """The erasure register, newest first (administrators)."""
    from coordination.pagination import paged
    from privacy.models import ErasureRecord

    return paged(select(ErasureRecord).order_by(ErasureRecord.id.desc()), page, per_page)


def erasure_of(person: Person):
    """The register entry that already erased ``person`` (their account, or one of their
    memberships), or None. The register is short (a few entries a year): read in Python."""
    from privacy.models import ErasureRecord

    members = set(person.member_ids)
    for record in db.session.scalars(select(ErasureRecord).order_by(ErasureRecord.id)):
        if person.user_id is not None and record.user_id == person.user_id:
            return record
        if person.user_id is None and members & set(record.member_ids or []):
            return record
    return None


def row_counts(person: Person) -> list[tuple[str, str, int]]:
    """``(table, its label, rows)`` of the tables where the person has rows (the person's
    page), in the order of the labels (Polish collation)."""
    from coordination.collation import sorted_pl
    from coordination.labels import table_label

    return sorted_pl(((table.name, table_label(table.name), len(rows))
                      for table, rows in person_rows(person) if rows), key=lambda row: row[1])


def member_summary(member_id: int):
    """Name, address and group of a contact (the region's context is active)."""
    from workgroups.models import Group, GroupMember

    return db.session.execute(
        select(GroupMember.id, GroupMember.full_name, GroupMember.email, GroupMember.user_id,
               Group.name.label("group_name"))
        .join(Group, Group.id == GroupMember.group_id).where(GroupMember.id == member_id)).first()


def overdue_counts(days: dict[str, int]) -> dict[str, int]:
    """kind -> rows the next purge would delete (the data-protection page)."""
    from datetime import timedelta

    from sqlalchemy import func

    from coordination.clock import utcnow

    now = utcnow()
    checks = {
        "rsvp_links": ("meeting_rsvp_link", "created_at", None),
        "export_files": ("export_job", "finished_at", None),
        "notifications": ("notification", "created_at", ("sent", "skipped", "failed")),
        "audit_entries": ("audit_log", "at", None),
    }
    counts = {}
    for kind, (name, column, statuses) in checks.items():
        table = db.metadata.tables[name]
        stmt = select(func.count()).select_from(table).where(
            table.c[column] < now - timedelta(days=days[kind]))
        if statuses:
            stmt = stmt.where(table.c.status.in_(statuses))
        counts[kind] = db.session.scalar(stmt)
    return counts
