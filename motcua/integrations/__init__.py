"""Adapters to external government systems: each a typing.Protocol, a real client and a local fake
that speaks the same protocol (population registry, payment gateway, national portal, postal, SMS …)."""
