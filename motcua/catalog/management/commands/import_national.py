from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.catalog.services import import_national


class Command(BaseCommand):
    help = _("Nhập danh mục thủ tục do Cổng Dịch vụ công quốc gia công bố (JSON lines, nhận cả .gz) làm thủ tục "
             "tham khảo: tìm và xem được, sau này bổ sung đủ để áp dụng tại trung tâm.")

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("tệp danh mục quốc gia (.jsonl hoặc .jsonl.gz)"))
        parser.add_argument("--limit", type=int, default=None, help=_("chỉ nhập N bản ghi đầu tiên"))

    def handle(self, path, limit, **options):
        if not Path(path).exists():
            raise CommandError(_("%(path)s: không có tệp này") % {"path": path})
        self.stdout.write(str(import_national(Path(path), limit=limit)))
