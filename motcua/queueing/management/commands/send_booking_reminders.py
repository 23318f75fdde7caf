"""Text the reminders of upcoming bookings (once each); run every few minutes."""

from django.core.management.base import BaseCommand

from motcua.queueing.services.check_in import send_reminders


class Command(BaseCommand):
    help = "Send the SMS reminder of confirmed bookings whose slot starts within the configured minutes."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"sent {sent} reminders")
