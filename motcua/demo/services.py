"""The demo's accounts and citizens: created idempotently, removed before going to production.

Every demo user carries a `DemoAccount` marker; production refuses to start while one exists
(`motcua.core.checks`). Citizens are generated from a fixed seed, so every run yields the same people.
"""

import hashlib
import hmac
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from motcua.core.audit import record_event
from motcua.core.errors import ValidationFailed
from motcua.core.ids import make_national_id
from motcua.core.models import DemoAccount
from motcua.core.roles import ROLE_PERMISSIONS, STAFF_ROLES, SYSTEM_ADMIN, sync_roles
from motcua.demo.complaints import remove_demo_complaints
from motcua.demo.queue_history import remove_queue_history
from motcua.dossiers.models import Dossier
from motcua.org.models import AdministrativeUnit, Agency, Branch, Center, Officer, Person, ServicePoint
from motcua.queueing.models import Device
from motcua.queueing.services.devices import KEY_PREFIX, pair_device

DEMO_PASSWORD = "demo"
DEMO_KIOSK_KEY_PREFIX = KEY_PREFIX + "demo_"
CITIZEN_COUNT = 300
SEED = 20250401  # the day the 12 branches opened


class DemoDataInvalid(ValidationFailed):
    code = "demo_data_invalid"
    default_message = _("Tệp tài khoản mẫu có lỗi.")


class AccountSpec(BaseModel):
    """One entry of data/demo/accounts.yaml."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(pattern=r"^[a-z0-9_.-]+$", max_length=150)
    role: str
    full_name: str = ""
    agency: str | None = None
    branch: int | None = None
    title: str = ""


def read_accounts(path: Path) -> list[AccountSpec]:
    """Parse the accounts file (no database access)."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    accounts, problems = [], []
    for index, item in enumerate(raw):
        try:
            spec = AccountSpec.model_validate(item)
        except ValidationError as exc:
            problems += [{"file": str(path), "entry": f"#{index + 1}", "field": ".".join(map(str, e["loc"])),
                          "message": e["msg"]} for e in exc.errors()]
            continue
        if spec.role not in ROLE_PERMISSIONS:
            problems.append({"file": str(path), "entry": spec.username, "field": "role",
                             "message": f"unknown role {spec.role!r}"})
        accounts.append(spec)
    if problems:
        raise DemoDataInvalid(details=problems)
    return accounts


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    citizens_created: int = 0
    citizens_updated: int = 0


def _resolve(spec: AccountSpec, center: Center, path: Path) -> tuple[Agency | None, Branch | None]:
    agency = branch = None
    if spec.agency:
        agency = Agency.objects.filter(code=spec.agency).first()
        if agency is None:
            raise DemoDataInvalid(details=[{"file": str(path), "entry": spec.username, "field": "agency",
                                            "message": f"unknown agency {spec.agency!r}"}])
    if spec.branch is not None:
        branch = center.branches.filter(number=spec.branch).first()
        if branch is None:
            raise DemoDataInvalid(details=[{"file": str(path), "entry": spec.username, "field": "branch",
                                            "message": f"no branch number {spec.branch}"}])
    return agency, branch


@transaction.atomic
def create_demo_accounts(path: Path, *, center: Center, citizen: Person | None = None,
                         report: DemoReport | None = None) -> DemoReport:
    """One user per entry of the accounts file, with its role, officer record and password `demo`.

    A user of the same name that is not a demo account is left untouched (and reported as skipped).
    """
    report = report or DemoReport()
    groups = sync_roles()
    user_model = get_user_model()
    for spec in read_accounts(path):
        agency, branch = _resolve(spec, center, path)
        user = user_model.objects.filter(username=spec.username).first()
        if user is not None and not DemoAccount.objects.filter(user=user).exists():
            report.skipped.append(spec.username)
            continue
        full_name = citizen.full_name if spec.role == "citizen" and citizen else spec.full_name
        wanted = {"first_name": full_name, "last_name": "", "email": "", "is_active": True,
                  "is_staff": spec.role in STAFF_ROLES, "is_superuser": spec.role == SYSTEM_ADMIN}
        if user is None:
            user = user_model(username=spec.username, **wanted)
            user.set_password(DEMO_PASSWORD)
            user.save()
            report.created.append(spec.username)
        else:
            changed = [k for k, v in wanted.items() if getattr(user, k) != v]
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                changed.append("password")
            if changed:
                for k in changed:
                    if k != "password":
                        setattr(user, k, wanted[k])
                user.save(update_fields=changed)
                report.updated.append(spec.username)
        if set(user.groups.values_list("pk", flat=True)) != {groups[spec.role].pk}:
            user.groups.set([groups[spec.role]])
        DemoAccount.objects.update_or_create(user=user, defaults={"role": spec.role})
        if agency is not None:
            _sync_officer(user, agency, branch, spec.title)
        if spec.role == "citizen" and citizen is not None and citizen.user_id != user.pk:
            Person.objects.filter(user=user).exclude(pk=citizen.pk).update(user=None)
            Person.objects.filter(pk=citizen.pk).update(user=user)
    if report.created or report.updated:
        record_event("demo", "demo.accounts_loaded", "demo", "accounts",
                     data={"created": report.created, "updated": report.updated})
    return report


def _sync_officer(user, agency: Agency, branch: Branch | None, title: str) -> None:
    officer = Officer.objects.filter(user=user).first()
    wanted = {"agency_id": agency.pk, "branch_id": branch.pk if branch else None, "title": title}
    if officer is None:
        Officer.objects.create(user=user, **wanted)
    elif any(getattr(officer, k) != v for k, v in wanted.items()):
        Officer.objects.filter(pk=officer.pk).update(**wanted)


# --- generated citizens --------------------------------------------------------------------------

_FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4), ("Vũ", 4),
           ("Đặng", 3), ("Bùi", 3), ("Đỗ", 3), ("Ngô", 2), ("Dương", 2), ("Đinh", 2), ("Hồ", 1), ("Lý", 1),
           ("Trịnh", 1), ("Đào", 1), ("Mai", 1), ("Lương", 1), ("Tạ", 1)]
_MIDDLE = {"male": ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thành", "Xuân", "Mạnh", "Tiến", "Ngọc", "Anh"],
           "female": ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Phương", "Hồng", "Thùy", "Kim", "Bích", "Hải", "Lan"]}
_GIVEN = {"male": ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Long", "Minh", "Nam",
                   "Phong", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Việt", "Vinh", "Hiếu", "Kiên", "Lâm", "Tùng"],
          "female": ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngọc",
                     "Nhung", "Phương", "Quỳnh", "Thảo", "Trang", "Uyên", "Vân", "Yến", "Huyền", "Loan", "Oanh"]}
# Birth registration outside Hà Nội (pre-2025 province codes, still printed on the cards).
_OTHER_BIRTH_PROVINCES = ["030", "033", "034", "035", "036", "037", "038", "040", "027", "026", "024", "025",
                          "022", "019", "017", "031", "079", "048"]
_STREETS = ["ngõ", "ngách", "tổ dân phố", "thôn"]


@dataclass(frozen=True)
class CitizenSpec:
    national_id: str
    full_name: str
    birth_date: date
    gender: str
    phone: str
    commune_index: int
    house: str


def generate_citizens(count: int = CITIZEN_COUNT, *, seed: int = SEED) -> list[CitizenSpec]:
    """The demo's citizens, always the same for the same seed: Vietnamese names, valid-format IDs."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    families = [name for name, weight in _FAMILY for _ in range(weight)]
    people: list[CitizenSpec] = []
    ids: set[str] = set()
    phones: set[str] = set()
    while len(people) < count:
        gender = rng.choice(["male", "female"])
        year = rng.randint(1940, 2007)
        birth = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        province = "001" if rng.random() < 0.85 else rng.choice(_OTHER_BIRTH_PROVINCES)
        national_id = make_national_id(province_code=province, gender=gender, birth_year=year,
                                       sequence=rng.randint(1, 999_999))
        phone = "09" + "".join(str(rng.randrange(10)) for _ in range(8))
        name = f"{rng.choice(families)} {rng.choice(_MIDDLE[gender])} {rng.choice(_GIVEN[gender])}"
        house = f"Số {rng.randint(1, 199)}, {rng.choice(_STREETS)} {rng.randint(1, 120)}"
        commune_index = rng.randrange(1_000_000)
        if national_id in ids or phone in phones:
            continue
        ids.add(national_id)
        phones.add(phone)
        people.append(CitizenSpec(national_id, name, birth, gender, phone, commune_index, house))
    return people


@transaction.atomic
def load_demo_citizens(*, province_code: str, count: int = CITIZEN_COUNT,
                       report: DemoReport | None = None) -> tuple[list[Person], DemoReport]:
    """Create or update the generated citizens, each living in a current commune of the province.

    A person already recorded under one of the generated ID numbers with another name or birth date is a
    real person: left untouched.
    """
    report = report or DemoReport()
    communes = list(AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE, is_current=True,
                                                      parent__code=province_code).select_related("parent")
                    .order_by("code"))
    specs = generate_citizens(count)
    existing = {p.national_id: p for p in Person.objects.filter(national_id__in=[s.national_id for s in specs])}
    new, changed, people = [], [], []
    for spec in specs:
        commune = communes[spec.commune_index % len(communes)] if communes else None
        # The communes are those of a province: each has its parent.
        address = f"{spec.house}, {commune.name}, {commune.parent.name}" if commune and commune.parent else spec.house
        wanted = {"full_name": spec.full_name, "birth_date": spec.birth_date, "gender": spec.gender,
                  "phone": spec.phone, "commune_id": commune.pk if commune else None, "address": address}
        person = existing.get(spec.national_id)
        if person is None:
            person = Person(national_id=spec.national_id, **wanted)
            new.append(person)
        elif (person.full_name, person.birth_date) != (spec.full_name, spec.birth_date):
            continue
        elif any(getattr(person, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(person, k, v)
            changed.append(person)
        people.append(person)
    Person.objects.bulk_create(new)
    Person.objects.bulk_update(changed, ["full_name", "birth_date", "gender", "phone", "commune", "address"])
    report.citizens_created += len(new)
    report.citizens_updated += len(changed)
    ids = [p.national_id for p in people]
    by_id = {p.national_id: p for p in Person.objects.filter(national_id__in=ids)}
    return [by_id[i] for i in ids], report


# --- removal ---------------------------------------------------------------------------------------

@dataclass
class RemovalReport:
    users: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    people: int = 0
    people_kept: int = 0
    dossiers: int = 0
    dossiers_kept: int = 0
    kiosks: int = 0
    complaints: int = 0
    tickets: int = 0


def _delete_each(queryset) -> tuple[int, int]:
    deleted = kept = 0
    for obj in queryset:
        try:
            with transaction.atomic():
                obj.delete()
            deleted += 1
        except (ProtectedError, RestrictedError):
            kept += 1
    return deleted, kept


@transaction.atomic
def remove_demo() -> RemovalReport:
    """Delete every demo account (with its officer record and linked person) and the generated citizens.

    A user that other records still refer to is deactivated instead, its password made unusable and its
    marker removed, so that production can start.
    """
    report = RemovalReport()
    # Their keys are printed by the demo and derived from the secret key: they must not outlive it.
    report.kiosks, _ = Device.objects.filter(key_prefix__startswith=DEMO_KIOSK_KEY_PREFIX).delete()
    report.tickets = remove_queue_history()
    markers = list(DemoAccount.objects.select_related("user"))
    users = [m.user for m in markers]
    linked = Person.objects.filter(user__in=users)
    generated = {(c.national_id, c.full_name, c.birth_date) for c in generate_citizens()}
    candidates = Person.objects.filter(national_id__in=[key[0] for key in generated])
    doomed = [p.pk for p in candidates if (p.national_id, p.full_name, p.birth_date) in generated]
    # The generated citizens' dossiers are demo data too (the history of finished dossiers among them).
    report.dossiers, report.dossiers_kept = _delete_each(Dossier.objects.filter(person__in=doomed))
    report.people, report.people_kept = _delete_each(Person.objects.filter(pk__in=doomed) | linked)
    # Before the accounts: the demo's answered complaints name them.
    report.complaints = remove_demo_complaints(settings.DATA_DIR)
    for marker in markers:
        user = marker.user
        try:
            with transaction.atomic():
                user.delete()
            report.users.append(user.get_username())
        except (ProtectedError, RestrictedError):
            marker.delete()
            user.is_active = user.is_staff = user.is_superuser = False
            user.set_unusable_password()
            user.save()
            user.groups.clear()
            report.deactivated.append(user.get_username())
    if report.users or report.deactivated or report.people or report.kiosks or report.tickets or report.complaints:
        record_event("demo", "demo.removed", "demo", "accounts", data={
            "users": report.users, "deactivated": report.deactivated, "people": report.people,
            "dossiers": report.dossiers, "kiosks": report.kiosks, "complaints": report.complaints,
            "tickets": report.tickets})
    return report


# --- demo kiosks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoKiosk:
    branch: int
    service_point: str  # its code
    key: str


def demo_kiosks(data_dir: Path) -> list[DemoKiosk]:
    """One kiosk per branch, at its first service point, read from data/org/center.yaml (no database).

    The key is derived from the secret key and the point's code, so the summary can print it without
    the database; it is a demo key, printed for anyone, and `remove_demo` deletes its device.
    """
    center = yaml.safe_load((data_dir / "org" / "center.yaml").read_text(encoding="utf-8")) or {}
    kiosks = []
    for branch in center.get("branches") or []:
        points = branch.get("service_points") or []
        if points and points[0].get("code"):
            code = str(points[0]["code"])
            digest = hmac.new(settings.SECRET_KEY.encode(), f"demo kiosk\x1f{code}".encode(), hashlib.sha256)
            kiosks.append(DemoKiosk(branch=int(branch["number"]), service_point=code,
                                    key=DEMO_KIOSK_KEY_PREFIX + digest.hexdigest()[:32]))
    return kiosks


def pair_demo_kiosks(data_dir: Path) -> int:
    """Pair the demo kiosks (idempotent: a kiosk already paired is left as it is). Returns how many were paired."""
    admin = get_user_model().objects.filter(demo_marker__role=SYSTEM_ADMIN, is_superuser=True).first()
    if admin is None:
        return 0
    paired = 0
    for kiosk in demo_kiosks(data_dir):
        point = ServicePoint.objects.filter(code=kiosk.service_point).first()
        if point is None or Device.objects.filter(key_hash=Device.hash_key(kiosk.key)).exists():
            continue
        pair_device(user=admin, kind=Device.Kind.KIOSK, service_point=point,
                    name=f"Kiosk mẫu – chi nhánh {kiosk.branch}", key=kiosk.key)
        paired += 1
    return paired
