"""`motcua audit verify`: check the audit log's hash chain."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.core import audit


class Command(BaseCommand):
    help = _("Công cụ nhật ký kiểm toán. verify: kiểm tra chuỗi băm; mã thoát 1 kèm tên mục hỏng đầu tiên.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help=_("Kiểm tra lần lượt mọi mục của chuỗi băm."))

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify":
            self._verify()

    def _verify(self) -> None:
        report = audit.verify()
        if report.broken is not None:
            problems = {
                "changed": _("nội dung đã bị sửa"),
                "removed_before": _("có mục bị xóa ngay trước mục này"),
                "reordered": _("thứ tự chuỗi bị đảo hoặc mục trước bị thay"),
            }
            raise CommandError(
                _("Chuỗi nhật ký bị phá vỡ tại mục #%(seq)s (id %(id)s): %(problem)s.") % {
                    "seq": report.broken.seq, "id": report.broken.entry_id,
                    "problem": problems.get(report.broken.problem, report.broken.problem)},
                returncode=1,
            )
        self.stdout.write(ngettext("Chuỗi nhật ký toàn vẹn: %(count)d mục.", "Chuỗi nhật ký toàn vẹn: %(count)d mục.",
                                   report.count) % {"count": report.count})
