"""`manage.py demo`: load the demo (organisation, catalog, roles, accounts, citizens); see docs/demo.md.

    manage.py demo                      load everything (idempotent)
    manage.py demo --summary --port N   print where to log in (touches nothing)
    manage.py demo --remove             delete the demo accounts and citizens before production
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.catalog import services as catalog_services
from motcua.core.errors import DomainError
from motcua.core.roles import ROLE_LABELS
from motcua.demo import queue_history, services
from motcua.demo.complaints import load_demo_complaints
from motcua.demo.dossier_history import DAYS, generate_dossier_history
from motcua.org.selectors import home_center
from motcua.org.services import OrgDataInvalid, load_org_data

ROLE_LABELS_EN = {
    "citizen": "Citizen",
    "reception_officer": "Reception officer",
    "fee_officer": "Fee-collection officer",
    "agency_officer": "Agency officer",
    "agency_leader": "Agency leader",
    "branch_leader": "Branch leader",
    "center_director": "Center director",
    "system_admin": "System administrator",
}


def national_catalog_default() -> Path:
    return settings.BASE_DIR.parent / "shared/reference/national-catalog.jsonl.gz"


class Command(BaseCommand):
    help = _("Nạp dữ liệu mẫu: tổ chức, danh mục thủ tục, vai trò, tài khoản mẫu (mật khẩu demo), công dân mẫu.")

    def add_arguments(self, parser):
        parser.add_argument("--summary", action="store_true",
                            help=_("chỉ in địa chỉ đăng nhập và các tài khoản mẫu, không nạp gì"))
        parser.add_argument("--port", type=int, default=8000, help=_("cổng của máy chủ (cho --summary)"))
        parser.add_argument("--remove", action="store_true",
                            help=_("xóa các tài khoản mẫu và công dân mẫu (trước khi vận hành thật)"))
        parser.add_argument("--national", type=Path, default=None,
                            help=_("tệp danh mục thủ tục quốc gia (.jsonl.gz) để nhập làm tham khảo"))
        parser.add_argument("--no-national", action="store_true", help=_("không nhập danh mục quốc gia"))
        parser.add_argument("--citizens", type=int, default=services.CITIZEN_COUNT,
                            help=_("số công dân mẫu (mặc định 300)"))
        parser.add_argument("--history-days", type=int, default=DAYS,
                            help=_("số ngày lịch sử hồ sơ đã giải quyết (mặc định 120; 0: không tạo)"))
        parser.add_argument("--queue-history-days", type=int, default=queue_history.DAYS,
                            help=_("số ngày lịch sử số thứ tự tại chi nhánh số 1 (mặc định 28; 0: không tạo)"))

    def handle(self, *args, **options):
        if options["summary"]:
            self.print_summary(options["port"])
        elif options["remove"]:
            self.remove()
        else:
            if settings.PRODUCTION:
                raise CommandError(_("Không tạo dữ liệu mẫu khi chạy ở chế độ production."))
            try:
                self.load(options)
            except OrgDataInvalid as exc:
                raise CommandError(str(exc)) from exc
            except DomainError as exc:
                details = "\n".join(f"  {d}" for d in exc.details or [])
                raise CommandError(f"{exc}\n{details}".rstrip()) from exc

    def load(self, options) -> None:
        for report in load_org_data(settings.DATA_DIR):
            self.stdout.write(str(report))
        try:
            self.stdout.write(_("Danh mục thủ tục: %(report)s")
                              % {"report": catalog_services.import_catalog(settings.DATA_DIR / "catalog")})
        except DomainError as exc:
            self.stderr.write(_("Danh mục thủ tục không nạp được: %(error)s") % {"error": exc})
            for detail in (exc.details or [])[:20]:
                self.stderr.write(f"  {detail}")
        self.import_national(options)
        center = home_center()
        if center is None:
            raise CommandError(_("Chưa có trung tâm nào: kiểm tra data/org/center.yaml."))
        people, report = services.load_demo_citizens(province_code=center.province.code, count=options["citizens"])
        services.create_demo_accounts(settings.DATA_DIR / "demo" / "accounts.yaml", center=center,
                                      citizen=people[0] if people else None, report=report)
        self.stdout.write(_("Công dân mẫu: %(count)d (tạo mới %(created)d, cập nhật %(updated)d)") % {
            "count": len(people), "created": report.citizens_created, "updated": report.citizens_updated})
        self.stdout.write(_("Tài khoản mẫu: tạo mới %(created)s; cập nhật %(updated)s") % {
            "created": ", ".join(report.created) or "0", "updated": ", ".join(report.updated) or "0"})
        if report.skipped:
            self.stderr.write(_("Bỏ qua (đã có người dùng thật cùng tên): %(names)s")
                              % {"names": ", ".join(report.skipped)})
        self.stdout.write(_("Kiosk mẫu: ghép nối mới %(count)d") % {
            "count": services.pair_demo_kiosks(settings.DATA_DIR)})
        self.stdout.write(_("Lịch sử hồ sơ đã giải quyết: %(report)s") % {
            "report": generate_dossier_history(center, days=options["history_days"])})
        self.stdout.write(_("Phản ánh, kiến nghị mẫu: %(report)s") % {
            "report": load_demo_complaints(settings.DATA_DIR)})
        self.stdout.write(_("Lịch sử số thứ tự (cho kế hoạch bố trí quầy): %(report)s") % {
            "report": queue_history.generate_queue_history(center, days=options["queue_history_days"])})

    def import_national(self, options) -> None:
        if options["no_national"]:
            return
        path = options["national"] or national_catalog_default()
        if not path.is_file():
            self.stdout.write(_("Bỏ qua danh mục quốc gia: không có tệp %(path)s") % {"path": path})
            return
        importer = getattr(catalog_services, "import_national", None)
        if importer is None:
            self.stdout.write(_("Bỏ qua danh mục quốc gia: chưa có chức năng nhập."))
            return
        try:
            self.stdout.write(_("Danh mục quốc gia: %(report)s") % {"report": importer(path)})
        except Exception as exc:  # the demo goes on without the reference catalog
            self.stderr.write(_("Danh mục quốc gia không nhập được: %(error)s") % {"error": exc})

    def remove(self) -> None:
        report = services.remove_demo()
        self.stdout.write(_("Đã xóa %(users)d tài khoản mẫu và %(people)d công dân mẫu.")
                          % {"users": len(report.users), "people": report.people})
        if report.dossiers:
            self.stdout.write(_("Đã xóa %(count)d hồ sơ của công dân mẫu.") % {"count": report.dossiers})
        if report.kiosks:
            self.stdout.write(_("Đã xóa %(count)d kiosk mẫu.") % {"count": report.kiosks})
        if report.complaints:
            self.stdout.write(_("Đã xóa %(count)d phản ánh, kiến nghị mẫu.") % {"count": report.complaints})
        if report.tickets:
            self.stdout.write(_("Đã xóa %(count)d số thứ tự mẫu.") % {"count": report.tickets})
        if report.deactivated:
            self.stdout.write(_("Khóa (còn được tham chiếu, không xóa được): %(names)s")
                              % {"names": ", ".join(report.deactivated)})
        if report.people_kept:
            self.stdout.write(_("Giữ lại %(count)d công dân mẫu còn được hồ sơ tham chiếu.")
                              % {"count": report.people_kept})

    def print_summary(self, port: int) -> None:
        base = f"http://127.0.0.1:{port}"
        accounts = services.read_accounts(settings.DATA_DIR / "demo" / "accounts.yaml")
        home, admin, docs = _("Trang chủ"), _("Quản trị"), _("Tài liệu API")
        role, username, password = _("Vai trò"), _("Tài khoản"), _("Mật khẩu")
        lines = [
            "",
            "motcua — " + _("bản demo") + " / demo",
            "",
            f"  {home:<22} / {'Home':<22} {base}/",
            f"  {admin:<22} / {'Admin':<22} {base}/admin/",
            f"  {docs:<22} / {'API docs':<22} {base}/api/docs",
            "",
            f"  {role + ' / Role':<50} {username + ' / Username':<24} {password} / Password",
        ]
        for account in accounts:
            vietnamese, english = ROLE_LABELS.get(account.role, account.role), ROLE_LABELS_EN.get(account.role, "")
            label = f"{vietnamese} / {english or account.role}"
            lines.append(f"  {label:<50} {account.username:<24} {services.DEMO_PASSWORD}")
        kiosks = services.demo_kiosks(settings.DATA_DIR)
        if kiosks:
            lines += ["", "  " + _("Kiosk lấy số: mở địa chỉ trên máy dùng làm kiosk, bấm “Ghép nối”") + " / "
                      "Queue kiosks: open the address on the kiosk device, press “Ghép nối” (Pair)"]
            for kiosk in kiosks:
                label = _("Chi nhánh %(n)d") % {"n": kiosk.branch} + f" / Branch {kiosk.branch}"
                lines.append(f"  {label:<30} {base}{reverse('queue-device-pair-with-key')}?key={kiosk.key}")
        lines += [
            "",
            "  " + _("Tài khoản mẫu chỉ để thử; xóa trước khi vận hành thật: manage.py demo --remove"),
            "  Demo accounts are for trying out only; remove them before production: manage.py demo --remove",
            "",
        ]
        self.stdout.write("\n".join(lines))
