"""Release bookings not checked in within the grace period (and unconfirmed ones); run every few minutes."""

from django.core.management.base import BaseCommand

from motcua.queueing.services.check_in import release_expired


class Command(BaseCommand):
    help = "Release bookings nobody checked in for within the grace period, and bookings never confirmed."

    def handle(self, *args, **options):
        released = release_expired()
        self.stdout.write(f"released {released} bookings")
