"""`manage.py notify_retry`: send again the deliveries that were given up (dead) or failed, from their first
attempt; `--id N` (repeatable) for some only; `--send` sends what is due right away."""

from django.core.management.base import BaseCommand

from motcua.notify import services
from motcua.notify.models import Delivery


class Command(BaseCommand):
    help = "Queue dead or failed notification deliveries again."

    def add_arguments(self, parser):
        parser.add_argument("--id", type=int, action="append", dest="ids", help="only this delivery (repeatable)")
        parser.add_argument("--send", action="store_true", help="send what is due now instead of at the next run")

    def handle(self, *args, ids=None, send=False, **options):
        chosen = list(Delivery.objects.filter(pk__in=ids)) if ids else None
        count = services.requeue(chosen)
        self.stdout.write(f"requeued={count}")
        if send:
            self.stdout.write(" ".join(f"{k}={v}" for k, v in services.send_due().items()))
