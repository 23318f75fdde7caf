"""`motcua audit verify | checkpoint`: check the audit log's keyed chain; write a signed checkpoint."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.core import audit


def problem_text(kind: str) -> str:
    texts = {
        audit.ALTERED: _("nội dung đã bị sửa sau khi ghi (mã xác thực không khớp)"),
        audit.FORGED: _("mã xác thực sai: mục được thêm hoặc tính lại bởi người không có khóa"),
        audit.GAP: _("có mục bị xóa ngay trước mục này (số thứ tự bị nhảy)"),
        audit.RELINKED: _("mục trước đã bị xóa, thay hoặc đổi thứ tự (liên kết băm không khớp)"),
        audit.TRUNCATED: _("chuỗi bị cắt bớt: mục này có trong điểm kiểm tra nhưng không còn trong nhật ký"),
        audit.CHECKPOINT_MISMATCH: _("mục không còn mã băm mà điểm kiểm tra đã ký"),
    }
    return texts.get(kind, kind)


def describe(problem: audit.ChainBreak, path) -> str:
    if problem.problem == audit.CHECKPOINT_SIGNATURE:
        return _("Điểm kiểm tra ở dòng %(line)s của %(path)s có chữ ký sai hoặc không đọc được.") % {
            "line": problem.line,
            "path": path,
        }
    return _("Chuỗi nhật ký bị phá vỡ tại mục #%(seq)s (id %(id)s): %(problem)s.") % {
        "seq": problem.seq,
        "id": problem.entry_id if problem.entry_id is not None else "?",
        "problem": problem_text(problem.problem),
    }


class Command(BaseCommand):
    help = _(
        "Công cụ nhật ký kiểm toán. verify: kiểm tra chuỗi băm có khóa và các điểm kiểm tra; mã thoát 1 "
        "kèm mục hỏng đầu tiên. checkpoint: ghi một điểm kiểm tra có chữ ký của đầu chuỗi."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help=_("Kiểm tra lần lượt mọi mục của chuỗi và các điểm kiểm tra."))
        verify.add_argument(
            "--checkpoints",
            metavar="PATH",
            help=_("Tệp điểm kiểm tra cần đối chiếu (mặc định: MOTCUA_AUDIT_CHECKPOINT)."),
        )
        sub.add_parser("checkpoint", help=_("Ghi một điểm kiểm tra có chữ ký của đầu chuỗi."))

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify":
            self._verify(options.get("checkpoints"))
        elif subcommand == "checkpoint":
            self._checkpoint()

    def _verify(self, checkpoints: str | None) -> None:
        try:
            report = audit.verify(checkpoints=checkpoints)
        except OSError as exc:  # a checkpoint file that exists but cannot be read: not a pass
            raise CommandError(
                _("Không đọc được tệp điểm kiểm tra %(path)s: %(error)s")
                % {
                    "path": audit.checkpoint_path(checkpoints),
                    "error": exc.strerror or str(exc) or type(exc).__name__,
                },
                returncode=1,
            ) from exc
        path = report.checkpoint_file
        if checkpoints and not report.checkpoint_file_found:
            raise CommandError(
                _("Không đọc được tệp điểm kiểm tra %(path)s: %(error)s")
                % {"path": path, "error": _("không có tệp này")},
                returncode=1,
            )
        if report.broken is not None:
            for other in report.problems[1:]:
                self.stderr.write(describe(other, path))
            raise CommandError(describe(report.broken, path), returncode=1)
        self.stdout.write(
            ngettext(
                "Chuỗi nhật ký toàn vẹn: %(count)d mục.",
                "Chuỗi nhật ký toàn vẹn: %(count)d mục.",
                report.count,
            )
            % {"count": report.count}
        )
        latest = report.latest_checkpoint
        if latest is None:
            self.stderr.write(
                _(
                    "Chưa có điểm kiểm tra nào trong %(path)s: chưa phát hiện được việc cắt bớt cuối "
                    "chuỗi. Chạy: manage.py audit checkpoint"
                )
                % {"path": path}
            )
            return
        self.stdout.write(
            ngettext(
                "%(count)d điểm kiểm tra khớp; mới nhất: mục #%(seq)s lúc %(at)s.",
                "%(count)d điểm kiểm tra khớp; mới nhất: mục #%(seq)s lúc %(at)s.",
                report.checkpoints,
            )
            % {"count": report.checkpoints, "seq": latest.seq, "at": latest.at}
        )

    def _checkpoint(self) -> None:
        path = audit.checkpoint_path()
        try:
            written = audit.write_checkpoint(path)
        except OSError as exc:
            raise CommandError(
                _("Không ghi được điểm kiểm tra vào %(path)s: %(error)s")
                % {"path": path, "error": exc.strerror or str(exc) or type(exc).__name__},
                returncode=1,
            ) from exc
        self.stdout.write(
            _("Đã ghi điểm kiểm tra: mục #%(seq)s vào %(path)s.") % {"seq": written["seq"], "path": path}
        )
