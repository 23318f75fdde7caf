"""The throwaway database of the dossier benchmarks: a center, its agencies and procedures, officers, dossiers.

Used two ways:
- as a process by bench_dossiers.py, with DJANGO_SETTINGS_MODULE, DATABASE_URL and MOTCUA_VAR_DIR set:
  `python -m bench.dossier_fixture world --officers 8` migrates, builds the center and prints one JSON
  object (procedure code, reception officers' tokens); `python -m bench.dossier_fixture codes` prints
  how many dossiers the database holds and how many distinct codes they have;
- as a library by bench_inbox.py, in its measuring process: `setup()`, `build_world()`, then
  `add_dossiers()` as many times as needed (bulk inserts of rows shaped like the ones intake and the
  processing services write: a received dossier with its steps, deadlines, assignees, a few
  consultations; closed dossiers with their finished steps and a return).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import sys
from dataclasses import dataclass, field
from decimal import Decimal

PASSWORD_BYTES = 18
DEPARTMENT_E_IDS = [f"000.00.{n:02d}.H26" for n in range(11, 41)]
# Route of every benchmark procedure: (position, name, role, scope, working hours).
ROUTE = [
    (1, "Tiếp nhận", "reception", "center", Decimal(2)),
    (2, "Thẩm định", "agency_officer", "competent", Decimal(16)),
    (3, "Ký duyệt", "branch_leader", "center", Decimal(4)),
]


def setup(*, from_models: bool = False) -> None:
    """django.setup() and build the tables (migrations, or straight from the models: several times faster)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")
    import django
    from django.core.management import call_command

    django.setup()
    from django.apps import apps
    from django.conf import settings

    if from_models:
        settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    # The throwaway officers' passwords are hashed twice (create, then the token's sign-in): a fast
    # hasher saves seconds in this process only; the server keeps the project's hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0, interactive=False, run_syncdb=from_models)


@dataclass
class World:
    center_agency_id: int
    branch_ids: list[int]
    department_ids: list[int]
    procedure_ids: list[int]  # procedure_ids[i] is decided by department_ids[i]
    procedure_codes: list[str]
    e_ids: dict[int, str]  # agency id -> e-ID (the dossier code's prefix)
    reception_user_ids: list[int]
    reception_tokens: list[str]
    agency_officer_id: int  # an officer of department_ids[0]
    agency_officer_token: str
    leader_user_id: int  # the leader of branch_ids[0]
    leader_token: str
    agency_leader_id: int  # the leader of department_ids[0]
    agency_leader_token: str
    sequence: dict = field(default_factory=dict)  # (agency id, day) -> last number used by add_dossiers


def _user(username: str, role: str, *, agency, branch=None, token: bool = True):
    from django.contrib.auth.models import User
    from django.test import RequestFactory

    from motcua.core import roles, tokens
    from motcua.org.models import Officer

    password = secrets.token_urlsafe(PASSWORD_BYTES)
    user = User.objects.create_user(username, password=password, first_name=username)
    user.groups.add(roles.sync_roles()[role])
    Officer.objects.create(user=user, agency=agency, branch=branch)
    login = RequestFactory().post("/api/auth/token")
    key = tokens.issue_token(login, username=username, password=password, name="benchmark").token if token else ""
    return user, key


def build_world(*, officers: int = 1, departments: int = 12, branches: int = 2) -> World:
    """One center with `branches` branches, `departments` departments each deciding one procedure, officers."""
    from motcua.catalog.models import Field, Procedure, RequiredDocument, RouteStep
    from motcua.core import roles
    from motcua.org.models import AdministrativeUnit, Agency, Branch, Center

    province = AdministrativeUnit.objects.create(level="province", code="01", name="Thành phố Hà Nội")
    center = Center.objects.create(
        code="bench", name="Trung tâm Phục vụ hành chính công (benchmark)", short_name="TTPVHCC",
        province=province, e_id_suffix="H26", working_periods=[["08:00", "12:00"], ["13:00", "17:00"]],
    )
    center_agency = Agency.objects.create(code="ttpvhcc", name="Trung tâm", short_name="TTPVHCC", kind="center",
                                          e_id="000.00.01.H26")
    branch_list = [Branch.objects.create(center=center, number=n, code=f"cn-{n}", name=f"Chi nhánh số {n}")
                   for n in range(1, branches + 1)]
    land = Field.objects.create(code="dat-dai", name="Đất đai")
    department_list, procedures = [], []
    for n in range(departments):
        agency = Agency.objects.create(code=f"so-{n + 1}", name=f"Sở số {n + 1}", short_name=f"Sở {n + 1}",
                                       kind="department", e_id=DEPARTMENT_E_IDS[n])
        procedure = Procedure.objects.create(code=f"1.00{n + 1:04d}", name=f"Thủ tục số {n + 1}", field=land,
                                             level="province", agency=agency, processing_days=Decimal(5))
        RequiredDocument.objects.create(procedure=procedure, position=1, name="Đơn đề nghị")
        RequiredDocument.objects.create(procedure=procedure, position=2, name="Hợp đồng", kind="certified_copy")
        RequiredDocument.objects.create(procedure=procedure, position=3, name="Giấy ủy quyền", optional=True)
        RequiredDocument.objects.create(procedure=procedure, position=4, name="Căn cước", kind="shown")
        for position, name, role, scope, hours in ROUTE:
            RouteStep.objects.create(procedure=procedure, position=position, name=name, role=role, scope=scope,
                                     hours=hours)
        department_list.append(agency)
        procedures.append(procedure)
    reception = [_user(f"reception-{n}", roles.RECEPTION_OFFICER, agency=center_agency, branch=branch_list[0])
                 for n in range(1, max(1, officers) + 1)]
    officer, officer_token = _user("agency-officer", roles.AGENCY_OFFICER, agency=department_list[0])
    leader, leader_token = _user("branch-leader", roles.BRANCH_LEADER, agency=center_agency, branch=branch_list[0])
    agency_leader, agency_leader_token = _user("agency-leader", roles.AGENCY_LEADER, agency=department_list[0])
    return World(
        center_agency_id=center_agency.pk,
        branch_ids=[b.pk for b in branch_list],
        department_ids=[a.pk for a in department_list],
        procedure_ids=[p.pk for p in procedures],
        procedure_codes=[p.code for p in procedures],
        e_ids={a.pk: a.e_id for a in [center_agency, *department_list]},
        reception_user_ids=[u.pk for u, _k in reception],
        reception_tokens=[k for _u, k in reception],
        agency_officer_id=officer.pk,
        agency_officer_token=officer_token,
        leader_user_id=leader.pk,
        leader_token=leader_token,
        agency_leader_id=agency_leader.pk,
        agency_leader_token=agency_leader_token,
    )


# The open dossiers and their steps get the newest ids, above every closed one's, as they would in a
# center that has run for years: a plan that walks a primary key from the oldest rows pays for the history.
OPEN_ID_BASE = 100_000_000


def _next_id(model, *, open_rows: bool = False) -> int:
    from django.db.models import Max

    rows = model.objects.filter(pk__gte=OPEN_ID_BASE) if open_rows else model.objects.filter(pk__lt=OPEN_ID_BASE)
    return (rows.aggregate(m=Max("pk"))["m"] or (OPEN_ID_BASE if open_rows else 0)) + 1


def _copy(model, objects: list) -> None:
    """Write `objects` (unsaved instances with their primary keys) with one COPY (PostgreSQL, psycopg 3)."""
    if not objects:
        return
    from django.db import connection
    from django.db.models import FileField

    fields = [f for f in model._meta.concrete_fields if f.primary_key is False or objects[0].pk is not None]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    files = {i for i, f in enumerate(fields) if isinstance(f, FileField)}
    names = [f.attname for f in fields]
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                row = [getattr(obj, name) for name in names]
                for i in files:
                    row[i] = row[i].name or ""
                copy.write_row(row)


def add_dossiers(world: World, count: int, *, open_count: int, now: dt.datetime, seed: int = 1,
                 batch_size: int = 2000) -> dict[str, int]:
    """Insert `count` dossiers, `open_count` of them still being processed and the rest closed.

    The open ones were received in the last 15 days and sit at one of the three steps (the open
    step has a deadline, half of them an assignee); the closed ones were received over the year
    before and went through the three steps to a returned result (4 % withdrawn; a refusal letter is
    returned like a result, so refused dossiers end up returned too).
    The first department decides 30 % of the dossiers (the measured officer's agency), the others
    share the rest; 3 % of the dossiers have a consultation with another department.
    Primary keys are assigned here (the open dossiers' and their steps' above OPEN_ID_BASE, the
    closed ones' below) so that a dossier can point at its open step in the same insert (the
    foreign keys are checked at commit); sequences are reset afterwards. On PostgreSQL the rows go
    in with COPY, 20,000 dossiers a batch, the foreign-key triggers off for the transaction (a
    million dossiers in minutes); elsewhere with bulk_create.
    """
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from motcua.dossiers.models import Consultation, Dossier, DossierStep

    rng = random.Random(seed + _next_id(Dossier))
    tz = dt.timezone(dt.timedelta(hours=7))
    departments = world.department_ids
    weights = [0.3] + [0.7 / (len(departments) - 1)] * (len(departments) - 1) if len(departments) > 1 else [1.0]
    hours = [step[4] for step in ROUTE]
    dossiers, steps, consultations = [], [], []
    next_ids = {True: [_next_id(Dossier, open_rows=True), _next_id(DossierStep, open_rows=True)],
                False: [_next_id(Dossier), _next_id(DossierStep)]}
    created = {"dossiers": 0, "open": 0, "steps": 0, "consultations": 0}

    copying = connection.vendor == "postgresql"
    if copying:
        batch_size = max(batch_size, 20_000)  # one COPY per table and batch

    def flush() -> None:
        if copying:
            for model, objects in ((Dossier, dossiers), (DossierStep, steps), (Consultation, consultations)):
                _copy(model, objects)
        else:
            Dossier.objects.bulk_create(dossiers, batch_size=batch_size)
            DossierStep.objects.bulk_create(steps, batch_size=batch_size)
            Consultation.objects.bulk_create(consultations, batch_size=batch_size)
        created["steps"] += len(steps)
        created["consultations"] += len(consultations)
        dossiers.clear()
        steps.clear()
        consultations.clear()

    with transaction.atomic():
        if copying:
            # The rows are consistent by construction; checking each foreign key of millions of rows at
            # commit would take longer than the load itself (superuser only, this transaction only).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        for n in range(count):
            is_open = n < open_count
            dossier_id, step_id = next_ids[is_open]
            index = rng.choices(range(len(departments)), weights)[0]
            agency_id = departments[index]
            if is_open:
                received = now - dt.timedelta(minutes=rng.randrange(15 * 24 * 60))
            else:
                received = now - dt.timedelta(days=16 + rng.random() * 365)
            day = received.astimezone(tz).date()
            number = world.sequence.get((agency_id, day), 0) + 1
            world.sequence[(agency_id, day)] = number
            branch_id = world.branch_ids[n % len(world.branch_ids)]
            dossier = Dossier(
                id=dossier_id, code=f"{world.e_ids[agency_id]}-{day:%y%m%d}-{number:04d}",
                procedure_id=world.procedure_ids[index], channel="counter" if n % 5 else "online",
                applicant_kind="person", applicant_name=f"Công dân số {dossier_id}",
                applicant_id_number=f"0010{80 + n % 20}{dossier_id % 1000000:06d}",
                applicant_phone=f"09{dossier_id % 100000000:08d}", competent_agency_id=agency_id,
                branch_id=branch_id, submitted_at=received, received_at=received,
                received_by_id=world.reception_user_ids[0],
                due_at=received + dt.timedelta(days=7), version=3,
            )
            route_agencies = [world.center_agency_id, agency_id, world.center_agency_id]
            started = received
            if is_open:
                at = rng.choice((0, 1, 1, 1, 2))  # most open dossiers are with the department
                dossier.state = ("received", "processing", "awaiting_approval")[at]
            else:
                at = 3
                # A refusal letter is handed over like a result: refused dossiers end up returned too.
                dossier.state = "returned" if rng.random() < 0.96 else "withdrawn"
            for position in range(min(at + 1, 3)):
                due = started + dt.timedelta(hours=float(hours[position]) * 3)
                finished = None if position == at else started + dt.timedelta(hours=rng.uniform(1, 40))
                assignee = None
                if finished is not None or rng.random() < 0.5:
                    assignee = (world.reception_user_ids[0], world.agency_officer_id, world.leader_user_id)[position]
                steps.append(DossierStep(
                    id=step_id, dossier_id=dossier_id, position=position + 1, name=ROUTE[position][1],
                    role=ROUTE[position][2], agency_id=route_agencies[position], hours=hours[position],
                    assignee_id=assignee, started_at=started, due_at=due, finished_at=finished,
                    outcome="" if finished is None else ("forwarded" if position < 2 else "approved"),
                ))
                if finished is None:
                    dossier.current_step_id = step_id
                else:
                    started = finished
                if position == 1 and rng.random() < 0.03:
                    others = [a for a in departments if a != agency_id] or departments
                    consultations.append(Consultation(
                        dossier_id=dossier_id, step_id=step_id, agency_id=rng.choice(others),
                        question="Đề nghị cho ý kiến về hồ sơ.", asked_by_id=world.agency_officer_id,
                        asked_at=started, due_at=started + dt.timedelta(hours=24),
                        answer="" if finished is None else "Thống nhất.",
                        answered_at=None if finished is None else finished,
                    ))
                step_id += 1
            if not is_open:
                dossier.result_ready_at = started
                dossier.closed_at = started + dt.timedelta(hours=rng.uniform(1, 72))
                if dossier.state == "returned":
                    dossier.returned_at = dossier.closed_at
                    dossier.return_method = "counter"
                    dossier.returned_to = dossier.applicant_name
                    dossier.returned_by_id = world.reception_user_ids[0]
                else:
                    dossier.decision_reason = "Công dân rút hồ sơ."
            dossiers.append(dossier)
            created["dossiers"] += 1
            created["open"] += int(is_open)
            next_ids[is_open] = [dossier_id + 1, step_id]
            if len(dossiers) >= batch_size:
                flush()
        flush()
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Dossier, DossierStep]):
            cursor.execute(statement)
    return created


def code_check() -> dict[str, int]:
    from django.db.models import Count

    from motcua.dossiers.models import Dossier

    figures = Dossier.objects.aggregate(dossiers=Count("pk"), distinct_codes=Count("code", distinct=True))
    return {"dossiers": figures["dossiers"], "distinct_codes": figures["distinct_codes"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("world", "codes"))
    parser.add_argument("--officers", type=int, default=8, help="reception officers, each with a token")
    parser.add_argument("--schema", choices=("migrate", "models"), default="migrate")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")
    if args.command == "codes":
        import django

        django.setup()
        print(json.dumps(code_check()))
        return 0
    setup(from_models=args.schema == "models")
    world = build_world(officers=args.officers)
    print(json.dumps({"procedure": world.procedure_codes[0], "tokens": world.reception_tokens,
                      "officer_token": world.agency_officer_token}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
