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
        return [Error(f"Demo accounts exist: {', '.join(found)}", hint="Delete them: motcua demo --remove",
                      id="motcua.E001")]
    return []


def assert_production_safe() -> None:
    """Refuse to serve in production while any demo account (password 'demo') exists."""
    if settings.PRODUCTION and (found := demo_accounts_present()):
        raise RuntimeError(f"Refusing to start in production: demo accounts exist ({', '.join(found)}). "
                           "Remove them with 'motcua demo --remove'.")
