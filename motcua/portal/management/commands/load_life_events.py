from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.portal.services.life_events import LifeEventsInvalid, load_life_events


class Command(BaseCommand):
    help = _(
        "Kiểm tra và nạp các sự kiện cuộc sống từ YAML (mặc định data/life_events); nạp tất cả hoặc không nạp gì."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            default=str(Path(settings.DATA_DIR) / "life_events"),
            help=_("thư mục sự kiện cuộc sống (mặc định: data/life_events)"),
        )
        parser.add_argument("--check", action="store_true", help=_("chỉ kiểm tra, không ghi"))

    def handle(self, directory, check=False, **options):
        try:
            report = load_life_events(Path(directory), check_only=check)
        except LifeEventsInvalid as err:
            for problem in err.problems:
                self.stderr.write(str(problem))
            count = len(err.problems)
            raise CommandError(
                ngettext(
                    "%(count)d lỗi; không có gì được nạp.", "%(count)d lỗi; không có gì được nạp.", count
                )
                % {"count": count}
            ) from err
        self.stdout.write(str(report))
