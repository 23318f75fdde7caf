"""Write use cases of the catalog: importing and exporting the YAML source of truth."""

from collections import Counter as Tally
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import ValidationFailed
from motcua.core.text import fold, slugify_vi
from motcua.org.models import Agency

from .models import (
    ChannelFeeRule,
    Fee,
    FeeExemption,
    Field,
    HandledElsewhere,
    Procedure,
    RequiredDocument,
    RouteStep,
)
from .schema import (
    ChannelFeeRuleSpec,
    ElsewhereSpec,
    FieldSpec,
    Problem,
    ProcedureSpec,
    load_yaml,
    validate_items,
)

if TYPE_CHECKING:
    from .national import ParsedProcedure

COMMUNE_AGENCY = "commune"  # in YAML: the applicant's commune People's Committee decides


class CatalogImportError(ValidationFailed):
    code = "catalog_invalid"
    default_message = _("Tệp danh mục có lỗi; không có gì được nhập.")

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(details=[str(p) for p in problems])


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    fields_written: int = 0
    elsewhere_written: int = 0  # entries of elsewhere.yaml created, updated or removed

    def __str__(self) -> str:
        text = gettext("tạo mới %(created)d, cập nhật %(updated)d, không đổi %(unchanged)d thủ tục; "
                       "ghi %(fields)d lĩnh vực") % {
            "created": len(self.created), "updated": len(self.updated), "unchanged": len(self.unchanged),
            "fields": self.fields_written}
        if self.elsewhere_written:
            text += gettext("; ghi %(count)d mục không tiếp nhận tại Trung tâm") % {"count": self.elsewhere_written}
        return text


ELSEWHERE_FILE = "elsewhere.yaml"


def _read_elsewhere(directory: Path) -> tuple[list[ElsewhereSpec] | None, list[Problem]]:
    """The entries of elsewhere.yaml, or None when the catalog has no such file (then nothing changes)."""
    path = directory / ELSEWHERE_FILE
    if not path.exists():
        return None, []
    specs, problems = validate_items(load_yaml(path), ElsewhereSpec, str(path))
    duplicates = {c for c, n in Tally(s.code for s, _ in specs).items() if n > 1}
    problems += [Problem(str(path), raw.key_lines.get("code", raw.line), f"{spec.code}.code", "duplicate code")
                 for spec, raw in specs if spec.code in duplicates]
    return [spec for spec, _ in specs], problems


def _elsewhere_row(spec: ElsewhereSpec) -> dict:
    return {"name": spec.name, "aliases": spec.aliases, "procedure_codes": spec.procedure_codes,
            "where": spec.where, "online_url": spec.online_url, "legal_basis": spec.legal_basis,
            "source_url": spec.source, "to_verify": spec.to_verify}


def _write_elsewhere(specs: list[ElsewhereSpec]) -> int:
    """Make the table hold exactly `specs`; returns how many rows were created, updated or removed."""
    existing = {e.code: e for e in HandledElsewhere.objects.all()}
    written = 0
    for spec in specs:
        desired = _elsewhere_row(spec)
        current = existing.pop(spec.code, None)
        if current is None or {key: getattr(current, key) for key in desired} != desired:
            HandledElsewhere.objects.update_or_create(code=spec.code, defaults=desired)
            written += 1
    if existing:
        HandledElsewhere.objects.filter(code__in=existing).delete()
    return written + len(existing)


CHANNEL_RULES_FILE = "fee-channel-rules.yaml"


def _read_channel_rules(directory: Path) -> tuple[list[ChannelFeeRuleSpec] | None, list[Problem]]:
    """The channel rules of fee-channel-rules.yaml, or None when the catalog has no such file."""
    path = directory / CHANNEL_RULES_FILE
    if not path.exists():
        return None, []
    specs, problems = validate_items(load_yaml(path), ChannelFeeRuleSpec, str(path))
    return [spec for spec, _ in specs], problems


def _write_channel_rules(specs: list[ChannelFeeRuleSpec]) -> None:
    """Make the table hold exactly `specs`."""
    ChannelFeeRule.objects.exclude(code__in=[s.code for s in specs]).delete()
    for spec in specs:
        ChannelFeeRule.objects.update_or_create(code=spec.code, defaults=spec.model_dump(exclude={"code"}))


def _read_catalog(directory: Path) -> tuple[list[FieldSpec], list[ProcedureSpec], list[Problem]]:
    problems: list[Problem] = []
    fields_file = directory / "fields.yaml"
    if not fields_file.exists():
        raise CatalogImportError([Problem(str(fields_file), None, "-", "file not found")])
    field_specs, field_problems = validate_items(load_yaml(fields_file), FieldSpec, str(fields_file))
    problems += field_problems
    procedure_specs: list[tuple[ProcedureSpec, dict, str]] = []
    files = sorted((directory / "procedures").glob("*.yaml"))
    if not files:
        problems.append(Problem(str(directory / "procedures"), None, "-", "no procedure files (*.yaml)"))
    for path in files:
        specs, file_problems = validate_items(load_yaml(path), ProcedureSpec, str(path))
        procedure_specs += [(spec, raw, str(path)) for spec, raw in specs]
        problems += file_problems
    problems += _check_references([s for s, _ in field_specs], procedure_specs)
    return [s for s, _ in field_specs], [s for s, _, _ in procedure_specs], problems


def _check_references(field_specs, procedure_specs) -> list[Problem]:
    problems = []
    field_codes = {f.code for f in field_specs}
    agency_codes = set(Agency.objects.values_list("code", flat=True))
    duplicates = {c for c, n in Tally(s.code for s, _, _ in procedure_specs).items() if n > 1}
    for spec, raw, file in procedure_specs:
        def problem(key: str, message: str, spec=spec, raw=raw, file=file) -> Problem:
            return Problem(file, raw.key_lines.get(key, raw.line), f"{spec.code}.{key}", message)

        if spec.code in duplicates:
            problems.append(problem("code", "duplicate procedure code"))
        if spec.field not in field_codes:
            problems.append(problem("field", f"unknown field '{spec.field}' (not in fields.yaml)"))
        if spec.agency != COMMUNE_AGENCY and spec.agency not in agency_codes:
            problems.append(problem("agency", f"unknown agency '{spec.agency}'"))
        if spec.agency == COMMUNE_AGENCY and spec.level != "commune":
            problems.append(problem("agency", "'commune' is only valid for commune-level procedures"))
        for step in spec.route:
            if step.agency not in {"center", "competent"} and step.agency not in agency_codes:
                problems.append(problem("route", f"step '{step.name}': unknown agency '{step.agency}'"))
    return problems


def _documents(spec: ProcedureSpec) -> list[dict]:
    return [d.model_dump() for d in spec.documents]


def _fees(spec: ProcedureSpec) -> list[dict]:
    return [{**f.model_dump(exclude={"exempt", "tiers", "rate"}), "per": f.per or "", "exemptions": f.exemptions or "",
             "tiers": [list(t) for t in f.tiers], "rate": None if f.rate is None else Decimal(f.rate),
             "exempt": sorted((e.model_dump() for e in f.exempt), key=lambda e: e["code"])} for f in spec.fees]


# The rule fields of a fee beyond its name, kind, amount and unit, with the values that mean "not used".
FEE_RULE_DEFAULTS: dict[str, Any] = {"basis": "fixed", "tiers": [], "rate": None, "floor": None, "cap": None,
                                     "online_amount": None, "council_set": False, "optional": False,
                                     "exempt": []}

_FEE_FIELDS = ("name", "kind", "amount", "per", "exemptions", "basis", "tiers", "rate", "floor", "cap",
               "online_amount", "council_set", "optional")


def _fee_snapshot(fee: Fee) -> dict:
    row = {key: getattr(fee, key) for key in _FEE_FIELDS}
    row["tiers"] = [list(t) for t in fee.tiers or []]
    row["exempt"] = [{"code": e.code, "name": e.name, "percent": e.percent, "evidence": e.evidence}
                     for e in fee.exemption_rules.all()]
    return row


def _route(spec: ProcedureSpec) -> list[dict]:
    return [{"name": s.name, "role": s.role, "agency": s.agency, "hours": Decimal(s.hours)} for s in spec.route]


def _header(spec: ProcedureSpec, fields: dict[str, Field], agencies: dict[str, Agency]) -> dict:
    return {
        "name": spec.name, "status": Procedure.Status.OPERATIONAL, "field_id": fields[spec.field].pk,
        "level": spec.level,
        "agency_id": None if spec.agency == COMMUNE_AGENCY else agencies[spec.agency].pk,
        "competent_by_commune": spec.agency == COMMUNE_AGENCY, "agency_text": "", "ministry": "",
        "legal_basis": spec.legal_basis, "processing_days": Decimal(spec.processing_days),
        "processing_note": spec.processing_note, "result": spec.result, "online_level": spec.online_level,
        "anywhere": spec.anywhere, "filing_branches": sorted(set(spec.branches)),
        "pay_before_processing": spec.pay_before_processing,
        "source_url": spec.source if spec.source.startswith("http") else "",
        "source_note": "" if spec.source.startswith("http") else spec.source[:300],
        "to_verify": spec.to_verify, "import_problems": [], "is_active": True,
    }


def snapshot(procedure: Procedure) -> dict:
    """A procedure as plain data (header and children), for comparison and export."""
    header = {key: getattr(procedure, key) for key in (
        "name", "status", "field_id", "level", "agency_id", "competent_by_commune", "agency_text", "ministry",
        "legal_basis",
        "processing_days", "processing_note", "result", "online_level", "anywhere", "filing_branches", "pay_before_processing", "source_url",
        "source_note", "to_verify", "import_problems", "is_active")}
    return {
        "header": header,
        "documents": [{"name": d.name, "kind": d.kind, "count": d.count, "registry_replaces": d.registry_replaces,
                       "optional": d.optional} for d in procedure.documents.all()],
        "fees": [_fee_snapshot(f) for f in procedure.fees.all()],
        "route": [{"name": s.name, "role": s.role,
                   "agency": s.agency.code if s.scope == RouteStep.Scope.AGENCY and s.agency else s.scope,
                   "hours": s.hours}
                  for s in procedure.route.all()],
    }


def _write_children(procedure: Procedure, desired: dict, agencies: dict[str, Agency]) -> None:
    procedure.documents.all().delete()
    procedure.fees.all().delete()
    procedure.route.all().delete()
    RequiredDocument.objects.bulk_create(
        RequiredDocument(procedure=procedure, position=i, **d) for i, d in enumerate(desired["documents"], 1))
    fees = Fee.objects.bulk_create(Fee(procedure=procedure, position=i, **{k: v for k, v in f.items() if k != "exempt"})
                                   for i, f in enumerate(desired["fees"], 1))
    FeeExemption.objects.bulk_create(FeeExemption(fee=fee, **e)
                                     for fee, f in zip(fees, desired["fees"], strict=True) for e in f["exempt"])
    RouteStep.objects.bulk_create(
        RouteStep(procedure=procedure, position=i, name=s["name"], role=s["role"], hours=s["hours"],
                  scope=s["agency"] if s["agency"] in {"center", "competent"} else RouteStep.Scope.AGENCY,
                  agency=agencies.get(s["agency"]))
        for i, s in enumerate(desired["route"], 1))


@transaction.atomic
def import_catalog(directory: Path) -> ImportReport:
    """Validate the whole YAML catalog, then create or update what differs; all or nothing."""
    field_specs, procedure_specs, problems = _read_catalog(Path(directory))
    elsewhere_specs, elsewhere_problems = _read_elsewhere(Path(directory))
    problems += elsewhere_problems
    channel_specs, channel_problems = _read_channel_rules(Path(directory))
    problems += channel_problems
    if problems:
        raise CatalogImportError(problems)
    report = ImportReport()
    if channel_specs is not None:
        _write_channel_rules(channel_specs)
    if elsewhere_specs is not None:
        report.elsewhere_written = _write_elsewhere(elsewhere_specs)
    fields = {f.code: f for f in Field.objects.all()}
    for field_spec in field_specs:
        current = fields.get(field_spec.code)
        if current is None or (current.name, current.service_group) != (field_spec.name, field_spec.service_group):
            fields[field_spec.code], _created = Field.objects.update_or_create(
                code=field_spec.code, defaults={"name": field_spec.name, "service_group": field_spec.service_group})
            report.fields_written += 1
    agencies = {a.code: a for a in Agency.objects.all()}
    existing = {p.code: p for p in Procedure.objects.filter(code__in=[s.code for s in procedure_specs])
                .prefetch_related("documents", "fees__exemption_rules", "route__agency")}
    for spec in procedure_specs:
        desired: dict[str, Any] = {"header": _header(spec, fields, agencies), "documents": _documents(spec),
                   "fees": _fees(spec), "route": _route(spec)}
        procedure = existing.get(spec.code)
        if procedure is not None and snapshot(procedure) == desired:
            report.unchanged.append(spec.code)
            continue
        if procedure is None:
            procedure = Procedure.objects.create(code=spec.code, **desired["header"])
            report.created.append(spec.code)
        else:
            Procedure.objects.filter(pk=procedure.pk).update(**desired["header"], updated_at=timezone.now())
            report.updated.append(spec.code)
        _write_children(procedure, desired, agencies)
    return report


def export_catalog(directory: Path) -> int:
    """Write the operational procedures back as YAML, one file per field; returns how many."""
    directory = Path(directory)
    (directory / "procedures").mkdir(parents=True, exist_ok=True)
    fields = list(Field.objects.filter(procedures__status=Procedure.Status.OPERATIONAL).distinct().order_by("code"))
    _dump(directory / "fields.yaml",
          [{"code": f.code, "name": f.name, "service_group": f.service_group} for f in fields])
    count = 0
    for f in fields:
        procedures = (Procedure.objects.filter(field=f, status=Procedure.Status.OPERATIONAL)
                      .select_related("agency").prefetch_related("documents", "fees__exemption_rules", "route__agency"))
        entries = [_procedure_yaml(p) for p in procedures]
        count += len(entries)
        _dump(directory / "procedures" / f"{f.code}.yaml", entries)
    elsewhere = [_elsewhere_yaml(e) for e in HandledElsewhere.objects.order_by("code")]
    if elsewhere:
        _dump(directory / ELSEWHERE_FILE, elsewhere)
    return count


def _elsewhere_yaml(entry: HandledElsewhere) -> dict:
    data = {"code": entry.code, "name": entry.name, "aliases": entry.aliases,
            "procedure_codes": entry.procedure_codes, "where": entry.where, "online_url": entry.online_url,
            "legal_basis": entry.legal_basis, "source": entry.source_url, "to_verify": entry.to_verify}
    return {k: v for k, v in data.items() if v not in ("", [])}


def _procedure_yaml(p: Procedure) -> dict:
    # Only operational procedures are exported: the operational_procedure_complete constraint holds.
    assert p.field is not None and (p.agency is not None or p.competent_by_commune)
    data = snapshot(p)
    entry = {
        "code": p.code, "name": p.name, "field": p.field.code, "level": p.level,
        "agency": COMMUNE_AGENCY if p.competent_by_commune or p.agency is None else p.agency.code,
        "legal_basis": p.legal_basis, "processing_days": _number(p.processing_days),
        "processing_note": p.processing_note, "result": p.result, "online_level": p.online_level,
        "anywhere": p.anywhere, "branches": p.filing_branches, "pay_before_processing": p.pay_before_processing or None, "source": p.source_url or p.source_note,
        "to_verify": p.to_verify,
        "documents": data["documents"],
        "fees": [_fee_yaml(f) for f in data["fees"]],
        "route": [{**s, "hours": _number(s["hours"])} for s in data["route"]],
    }
    return {k: v for k, v in entry.items() if v not in ("", [], None) or k in ("documents", "fees", "route")}


def _fee_yaml(fee: dict) -> dict:
    entry = {**fee, "per": fee["per"] or None, "exemptions": fee["exemptions"] or None, "rate": _number(fee["rate"])}
    return {k: v for k, v in entry.items() if k not in FEE_RULE_DEFAULTS or v != FEE_RULE_DEFAULTS[k]}


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")


@dataclass
class NationalImportReport(ImportReport):
    kept_operational: list[str] = field(default_factory=list)
    with_problems: int = 0

    def __str__(self) -> str:
        return gettext("%(report)s; %(kept)d thủ tục đang áp dụng tại trung tâm (giữ nguyên); "
                       "%(problems)d thủ tục có thông tin chưa đọc được") % {
            "report": super().__str__(), "kept": len(self.kept_operational), "problems": self.with_problems}


def _national_entry(parsed, field_id: int | None) -> dict:
    fees: dict[tuple[str, int | None], None] = {}
    for channel in parsed.channels:
        for fee in channel.fees:
            fees.setdefault((fee.description, fee.amount), None)
    times = list(dict.fromkeys(c.processing_text for c in parsed.channels if c.processing_text))
    header = {
        "name": parsed.name[:1200], "status": Procedure.Status.REFERENCE, "field_id": field_id,
        "level": parsed.level or "", "agency_id": None, "competent_by_commune": False,
        "agency_text": (parsed.competent_agency or parsed.implementing_agency or "")[:500],
        "ministry": parsed.ministry[:120], "legal_basis": parsed.legal_basis or "",
        "processing_days": parsed.processing_days, "processing_note": "; ".join(times),
        "result": parsed.result or "",
        # An online channel proves at least partial online service; "full" is never inferred.
        "online_level": "partial" if any(c.channel == "online" for c in parsed.channels) else "none",
        "anywhere": False, "filing_branches": [], "pay_before_processing": False, "source_url": parsed.source_url[:500], "source_note": "",
        "to_verify": [],
        "import_problems": list(parsed.problems), "is_active": True,
    }
    documents = [{"name": d.name, "kind": "original" if d.original_count or not d.copy_count else "copy",
                  "count": d.original_count or d.copy_count or 0, "registry_replaces": False, "optional": False}
                 for d in parsed.documents]
    fee_rows = [{"name": (description or "Phí, lệ phí")[:300],
                 "kind": "charge" if "le phi" in fold(description) else "fee",
                 "amount": amount, "per": "", "exemptions": "", **FEE_RULE_DEFAULTS} for description, amount in fees]
    return {"header": header, "documents": documents, "fees": fee_rows, "route": []}


@transaction.atomic
def import_national(path: Path, *, limit: int | None = None) -> NationalImportReport:
    """Import the national portal's published catalog as reference entries, parsing what can be parsed.

    What the parser could not read is kept on the entry (`import_problems`), never guessed. A code that
    is already operational at the center is left alone.
    """
    from .national import iter_records, parse_record

    report = NationalImportReport()
    parsed_all: dict[str, ParsedProcedure] = {}
    for number, record in enumerate(iter_records(Path(path))):
        if limit is not None and number >= limit:
            break
        parsed = parse_record(record)
        parsed_all.setdefault(parsed.code, parsed)
    fields = {f.name: f for f in Field.objects.all()}
    existing = {p.code: p for p in Procedure.objects.filter(code__in=parsed_all)
                .prefetch_related("documents", "fees__exemption_rules", "route__agency")}
    for code, parsed in parsed_all.items():
        procedure = existing.get(code)
        if procedure is not None and procedure.status == Procedure.Status.OPERATIONAL:
            report.kept_operational.append(code)
            continue
        field_obj = None
        if parsed.field_name:
            field_obj = fields.get(parsed.field_name)
            if field_obj is None:
                # Names that differ only in case or spacing share a slug, hence one field.
                slug = slugify_vi(parsed.field_name)[:70] or "khac"
                field_obj, created = Field.objects.get_or_create(code=slug, defaults={"name": parsed.field_name})
                fields[parsed.field_name] = field_obj
                report.fields_written += created
        desired = _national_entry(parsed, field_obj.pk if field_obj else None)
        report.with_problems += bool(parsed.problems)
        if procedure is not None and snapshot(procedure) == desired:
            report.unchanged.append(code)
            continue
        if procedure is None:
            procedure = Procedure.objects.create(code=code, **desired["header"])
            report.created.append(code)
        else:
            Procedure.objects.filter(pk=procedure.pk).update(**desired["header"], updated_at=timezone.now())
            report.updated.append(code)
        _write_children(procedure, desired, {})
    return report
