"""Loading agencies: departments from agencies.yaml, one People's Committee per commune."""


from pathlib import Path
from typing import Annotated, Any

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from ..models import AdministrativeUnit, Agency
from ..selectors import home_center
from .common import (
    AgenciesInvalid,
    DataProblem,
    LoadReport,
    _audit,
    _label,
    _line,
    _read_yaml,
    _validation_problems,
)

Unit = AdministrativeUnit
Level = AdministrativeUnit.Level
UnitKey = tuple[str, str, bool]  # (level, code, is_current)


# --- agencies -------------------------------------------------------------------------------------

_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_E_ID = r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$"


def _must_be_text(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("must be quoted text, e.g. \"00103\" (a bare number loses its leading zeros)")
    return value


Text = Annotated[str, BeforeValidator(_must_be_text)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AgencySpec(_Spec):
    code: Text = Field(pattern=_SLUG, max_length=60)
    name: Text = Field(min_length=1, max_length=200)
    short_name: Text = Field(min_length=1, max_length=100)
    kind: Text
    e_id: Text = Field(pattern=_E_ID)

    @field_validator("kind")
    @classmethod
    def known_kind(cls, value: str) -> str:
        if value not in Agency.Kind.values:
            raise ValueError(f"kind must be one of: {', '.join(Agency.Kind.values)}")
        return value


def commune_agency_code(commune_code: str) -> str:
    return f"ubnd-{commune_code}"


def commune_e_id(commune_code: str, suffix: str) -> str:
    """An ILLUSTRATIVE e-ID for a commune People's Committee, derived from its 5-digit unit code.

    The official per-commune e-IDs (QCVN 102:2016, published by the city) must replace these: list the
    commune in agencies.yaml as `ubnd-<code>` with kind `commune` and its official e_id.
    """
    return f"{commune_code[:3]}.{commune_code[3:]}.99.{suffix}"


def _commune_short_name(name: str) -> str:
    return name[:1].lower() + name[1:]


@transaction.atomic
def load_agencies(path: Path, *, province_code: str | None = None, e_id_suffix: str | None = None,
                  actor: Any = None) -> LoadReport:
    """Upsert the agencies of agencies.yaml, plus one People's Committee per current commune of the province.

    The province and e-ID suffix are the center's (center.yaml, passed by `load_org_data`); left out,
    those of the installation's center already loaded (`home_center`), and no committee without one.
    """
    path = Path(path)
    if province_code is None or e_id_suffix is None:
        center = home_center()
        province_code = province_code or (center.province.code if center else "")
        e_id_suffix = e_id_suffix or (center.e_id_suffix if center else "")
    raw = _read_yaml(path, AgenciesInvalid)
    if not isinstance(raw, list):
        raise AgenciesInvalid([DataProblem(str(path), 1, "-", "-", "the file must hold a list of agencies")])
    problems: list[DataProblem] = []
    specs: list[tuple[AgencySpec, Any]] = []
    for index, item in enumerate(raw):
        entry = _label(item, index)
        if not isinstance(item, dict):
            problems.append(DataProblem(str(path), None, entry, "-", "each entry must be a mapping"))
            continue
        try:
            specs.append((AgencySpec.model_validate(dict(item)), item))
        except ValidationError as exc:
            problems += _validation_problems(exc, item, str(path), entry)
    communes = {u.code: u for u in Unit.objects.filter(level=Level.COMMUNE, is_current=True,
                                                       parent__code=province_code, parent__level=Level.PROVINCE)}
    desired: dict[str, dict[str, Any]] = {}
    for spec, item in specs:
        commune_code = spec.code.removeprefix("ubnd-") if spec.kind == Agency.Kind.COMMUNE else None
        values = {"name": spec.name, "short_name": spec.short_name, "kind": spec.kind, "e_id": spec.e_id,
                  "commune_id": communes[commune_code].pk if commune_code in communes else None, "is_active": True}
        if spec.code in desired:
            problems.append(DataProblem(str(path), _line(item, "code"), spec.code, "code", "duplicate code"))
        desired[spec.code] = {**values, "_line": _line(item, "e_id")}
    for code, unit in sorted(communes.items()):
        desired.setdefault(commune_agency_code(code), {
            "name": f"Ủy ban nhân dân {_commune_short_name(unit.name)}",
            "short_name": f"UBND {_commune_short_name(unit.name)}",
            "kind": Agency.Kind.COMMUNE, "e_id": commune_e_id(code, e_id_suffix), "commune_id": unit.pk,
            "is_active": True, "_line": None})
    problems += _e_id_conflicts(desired, str(path))
    if problems:
        raise AgenciesInvalid(problems)
    report = LoadReport(str(_("Cơ quan")), counts={"agencies": len(specs), "commune_committees": len(communes)})
    existing = {a.code: a for a in Agency.objects.all()}
    for code, values in desired.items():
        values = {k: v for k, v in values.items() if k != "_line"}
        label = "commune_committees" if values["kind"] == Agency.Kind.COMMUNE else "agencies"
        agency = existing.get(code)
        if agency is None:
            Agency.objects.create(code=code, **values)
            report.created[label] += 1
        elif any(getattr(agency, k) != v for k, v in values.items()):
            Agency.objects.filter(pk=agency.pk).update(**values)
            report.updated[label] += 1
    _audit(report, "org.agencies_loaded", path, actor)
    return report


def _e_id_conflicts(desired: dict[str, dict[str, Any]], file: str) -> list[DataProblem]:
    problems: list[DataProblem] = []
    owners: dict[str, str] = {}
    for code, values in desired.items():
        other = owners.setdefault(values["e_id"], code)
        if other != code:
            # Name the file's entry; the other may be a generated commune committee.
            named, clash = (code, other) if values["_line"] is not None else (other, code)
            problems.append(DataProblem(file, desired[named]["_line"], named, "e_id",
                                        f"e_id already given to agency {clash!r}"))
    taken = dict(Agency.objects.filter(e_id__in=list(owners)).exclude(code__in=list(desired))
                 .values_list("e_id", "code"))
    for e_id, other in taken.items():
        code = owners[e_id]
        problems.append(DataProblem(file, desired[code]["_line"], code, "e_id",
                                    f"e_id already used by agency {other!r} in the database"))
    return problems
