import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

from motcua.core.handlers import get_asgi_application  # noqa: E402

application = get_asgi_application()

from motcua.core.checks import assert_production_safe  # noqa: E402

assert_production_safe()
