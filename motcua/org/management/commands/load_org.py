"""`manage.py load_org [--data DIR]`: load administrative units, agencies and the center from data/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.org import services


class Command(BaseCommand):
    help = _("Nạp đơn vị hành chính, cơ quan và trung tâm (chi nhánh, điểm tiếp nhận, quầy) từ thư mục data/.")

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, default=None,
                            help=_("thư mục dữ liệu (mặc định: settings.DATA_DIR)"))

    def handle(self, *args, data: Path | None = None, **options):
        directory = data or settings.DATA_DIR
        try:
            reports = services.load_org_data(directory)
        except services.OrgDataInvalid as exc:
            raise CommandError(str(exc)) from exc
        for report in reports:
            self.stdout.write(str(report))
        if not any(report.changed for report in reports):
            self.stdout.write(_("Không có gì thay đổi."))
