"""`motcua signing demo-ca`: the local CA, a certificate for every officer and seal, the CRL (idempotent).

    motcua signing demo-ca          create what is missing (run by `make demo`)
    motcua signing crl              publish the revocation list again
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.signing import ca, services


class Command(BaseCommand):
    help = _("Ký số: tạo tổ chức cấp chứng thư số mẫu (demo-ca) hoặc công bố lại danh sách thu hồi (crl).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["demo-ca", "crl"])

    def handle(self, *args, **options):
        if options["action"] == "crl":
            services.publish_crl()
            self.stdout.write(str(ca.crl_path()))
            return
        if settings.PRODUCTION:
            raise CommandError(_("Không tạo tổ chức cấp chứng thư số mẫu khi chạy ở chế độ production."))
        counts = services.issue_demo_certificates()
        self.stdout.write(_("Chứng thư số mới: %(officers)d cán bộ, %(seals)d con dấu. CRL: %(crl)s")
                          % {**counts, "crl": ca.crl_path()})
