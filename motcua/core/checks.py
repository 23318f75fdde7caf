from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


def demo_accounts_present() -> list[str]:
    from .models import DemoAccount

    try:
        return list(DemoAccount.objects.values_list("user__username", flat=True))
    except DatabaseError:  # not migrated yet: nothing to refuse
        return []


@register(Tags.security, deploy=True)
def no_demo_accounts_in_production(app_configs, **kwargs):
    if not settings.PRODUCTION:
        return []
    found = demo_accounts_present()
    if found:
        return [
            Error(
                f"Demo accounts exist: {', '.join(found)}",
                hint="Delete them: motcua demo --remove",
                id="motcua.E001",
            )
        ]
    return []


def assert_production_safe() -> None:
    """Refuse to serve in production while any demo account (password 'demo') exists, or without an
    audit key of its own (the ASGI/WSGI servers do not run the system checks)."""
    if settings.PRODUCTION and (found := demo_accounts_present()):
        raise RuntimeError(
            f"Refusing to start in production: demo accounts exist ({', '.join(found)}). "
            "Remove them with 'motcua demo --remove'."
        )
    if errors := audit_key_in_production(None):
        raise RuntimeError(f"Refusing to start in production: {errors[0].msg}. {errors[0].hint}")


# Long enough to be random: 32 characters (e.g. `python -c "import secrets; print(secrets.token_urlsafe(32))"`).
AUDIT_KEY_MIN_LENGTH = 32


@register(Tags.security)
def audit_key_in_production(app_configs, **kwargs):
    """The audit chain's key must be this deployment's own secret, not the public development one."""
    if not settings.PRODUCTION:
        return []
    key = getattr(settings, "MOTCUA_AUDIT_KEY", "")
    hint = (
        "Set MOTCUA_AUDIT_KEY in the environment to a random string of at least "
        f"{AUDIT_KEY_MIN_LENGTH} characters, kept apart from the database and from DJANGO_SECRET_KEY "
        "(docs/security.md, The audit chain)."
    )
    if len(key) < AUDIT_KEY_MIN_LENGTH or key == getattr(settings, "DEVELOPMENT_AUDIT_KEY", None):
        return [Error("MOTCUA_AUDIT_KEY is not set to a secret key", hint=hint, id="motcua.E002")]
    if key == settings.SECRET_KEY:
        return [Error("MOTCUA_AUDIT_KEY must differ from DJANGO_SECRET_KEY", hint=hint, id="motcua.E002")]
    return []
