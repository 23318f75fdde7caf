"""`motcua scheduler`: run the periodic jobs of settings.MOTCUA_PERIODIC_JOBS (see docs/scheduler.md)."""

import signal

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core import scheduler


class Command(BaseCommand):
    help = _("Chạy các tác vụ định kỳ (MOTCUA_PERIODIC_JOBS): lặp liên tục, hoặc một lần với --once.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help=_("Chạy các tác vụ đến hạn một lần rồi thoát (cho cron và kiểm thử)."))
        parser.add_argument("--enqueue", action="store_true",
                            help=_("Đưa tác vụ vào hàng đợi django.tasks (db_worker thực hiện) thay vì chạy ngay."))
        parser.add_argument("--job", action="append", default=[],
                            help=_("Chỉ xét tác vụ có tên này (lặp lại để chọn nhiều)."))
        parser.add_argument("--list", action="store_true", help=_("Liệt kê các tác vụ và lần chạy gần nhất."))
        parser.add_argument("--max-sleep", type=float, default=60.0,
                            help=_("Thời gian nghỉ tối đa giữa hai vòng (giây)."))

    def handle(self, *args, once=False, enqueue=False, job=(), list=False, max_sleep=60.0, **options):
        try:
            jobs = scheduler.configured_jobs()
        except (ValueError, TypeError) as exc:
            raise CommandError(_("MOTCUA_PERIODIC_JOBS không hợp lệ: %(error)s") % {"error": exc}) from exc
        unknown = set(job) - {j.name for j in jobs}
        if unknown:
            raise CommandError(_("Không có tác vụ: %(names)s") % {"names": ", ".join(sorted(unknown))})
        if job:
            jobs = [j for j in jobs if j.name in set(job)]
        if list:
            states = scheduler.states()
            for j in jobs:
                row = states.get(j.name)
                last = row.last_run_at.isoformat() if row and row.last_run_at else "-"
                status = f"{row.last_status} {row.last_result}".strip() if row and row.last_status else "-"
                self.stdout.write(f"{j.name}\t{j.interval}s\t{j.path}\t{last}\t{status}")
            return
        if once:
            outcomes = scheduler.run_due(jobs, enqueue=enqueue)
            ran = [o for o in outcomes if not o.skipped]
            failed = [o.name for o in ran if not o.ok]
            self.stdout.write(_("Đã chạy %(n)d tác vụ, %(failed)d lỗi.") % {"n": len(ran), "failed": len(failed)})
            if len(ran) < len(outcomes):
                self.stdout.write(_("Bỏ qua %(n)d tác vụ đang chạy ở nơi khác.") % {"n": len(outcomes) - len(ran)})
            if failed:
                raise CommandError(_("Tác vụ lỗi: %(names)s") % {"names": ", ".join(failed)})
            return
        stopping = []

        def stop(signum, frame):
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        scheduler.loop(jobs, enqueue=enqueue, max_sleep=max_sleep, sleep=self._sleeper(stopping),
                       should_stop=lambda: bool(stopping))

    @staticmethod
    def _sleeper(stopping):
        import time

        from django.db import close_old_connections

        def sleep(seconds: float) -> None:
            # Between rounds the connection goes (or back to the pool): a database restart while the
            # loop sleeps then costs nothing, and an idle scheduler holds no connection.
            close_old_connections()
            # Sleep in short slices so that a signal ends the loop promptly.
            end = time.monotonic() + seconds
            while not stopping and time.monotonic() < end:
                time.sleep(min(0.5, end - time.monotonic()))

        return sleep
