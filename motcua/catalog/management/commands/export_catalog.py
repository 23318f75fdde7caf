from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalog.services import export_catalog


class Command(BaseCommand):
    help = _("Ghi danh mục thủ tục đang áp dụng (kể cả phần đã sửa trong trang quản trị) ra các tệp YAML.")

    def add_arguments(self, parser):
        parser.add_argument("directory", help=_("thư mục ghi ra"))

    def handle(self, directory, **options):
        count = export_catalog(Path(directory))
        self.stdout.write(ngettext("Đã ghi %(count)d thủ tục vào %(directory)s", "Đã ghi %(count)d thủ tục vào %(directory)s",
                                   count) % {"count": count, "directory": directory})
