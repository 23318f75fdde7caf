from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True  # the module also holds the lockout's config below
    name = "motcua.core"
    label = "core"
    verbose_name = _("Lõi hệ thống")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed

        from . import checks  # noqa: F401  (registers system checks)
        from .roles import forget_roles

        m2m_changed.connect(forget_roles, sender=get_user_model().groups.through,
                            dispatch_uid="motcua.core.roles.forget_roles")


class LoginLockoutConfig(AxesConfig):
    """django-axes (failed logins and locked accounts, docs/security.md) under a name of our own in the admin."""

    verbose_name = _("Khóa đăng nhập")
