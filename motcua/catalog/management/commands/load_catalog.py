from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalog.services import CatalogImportError, import_catalog


class Command(BaseCommand):
    help = _("Kiểm tra và nhập danh mục thủ tục từ YAML (mặc định data/catalog); nhập tất cả hoặc không nhập gì.")

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(Path(settings.DATA_DIR) / "catalog"),
                            help=_("thư mục danh mục (mặc định: data/catalog)"))

    def handle(self, directory, **options):
        try:
            report = import_catalog(Path(directory))
        except CatalogImportError as err:
            for problem in err.problems:
                self.stderr.write(str(problem))
            count = len(err.problems)
            raise CommandError(ngettext("%(count)d lỗi; không có gì được nhập.",
                                        "%(count)d lỗi; không có gì được nhập.", count) % {"count": count}) from err
        except ValueError as err:  # YAML syntax
            raise CommandError(str(err)) from err
        self.stdout.write(str(report))
