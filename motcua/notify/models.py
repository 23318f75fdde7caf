"""Notifications on every channel (SMS, Zalo, e-mail, in the portal), with preferences and delivery status."""
