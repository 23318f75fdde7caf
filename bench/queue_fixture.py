"""Build the throwaway database of bench_queue_api.py: migrate, then one hall with counters and an officer.

Run by the benchmark as a separate process (`python -m bench.queue_fixture --counters 8`) with
DJANGO_SETTINGS_MODULE, DATABASE_URL and MOTCUA_VAR_DIR set; prints one JSON object on stdout.
"""

import argparse
import json
import os
import secrets
import sys

PASSWORD_BYTES = 18


def build(counters: int, service_minutes: int, *, from_models: bool = False, points: int = 1) -> dict:
    """Migrate, create the hall through the project's models and services, return the ids and a token.

    `from_models` creates the tables straight from the models (no migration files, no data
    migrations: there are none today), several times faster; the smoke test uses it.
    """
    import django
    from django.core.management import call_command

    django.setup()
    from django.apps import apps
    from django.conf import settings

    if from_models:
        settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}

    # The throwaway officer's password is hashed twice (create, then the token's sign-in): a fast
    # hasher saves seconds in this process only; the server keeps the project's hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0, interactive=False, run_syncdb=from_models)

    from django.contrib.auth.models import User
    from django.test import RequestFactory

    from motcua.core import roles, tokens
    from motcua.org.models import Officer
    from motcua.org.tests.factories import (
        make_branch,
        make_center,
        make_center_agency,
        make_counters,
        make_group,
        make_point,
    )
    from motcua.queueing.models import QueueConfig

    center = make_center(code="bench", name="Trung tâm Phục vụ hành chính công (benchmark)", short_name="TTPVHCC")
    agency = make_center_agency()
    branch = make_branch(center, 1)
    # A short configured service time keeps a long run inside the capacity rule (which stays on).
    civil = make_group(center, "tu-phap", average_service_minutes=service_minutes)
    land = make_group(center, "dat-dai", average_service_minutes=service_minutes)
    halls = []
    for number in range(1, points + 1):  # halls of the officer's branch (it calls at each)
        point = make_point(branch, f"cn-{number}-bench", name=f"Điểm tiếp nhận {number}", address="Số 1")
        QueueConfig.objects.create(service_point=point)
        halls.append({"point": point.pk,
                      "counters": [c.pk for c in make_counters(point, range(1, counters + 1), [civil, land])]})

    password = secrets.token_urlsafe(PASSWORD_BYTES)
    user = User.objects.create_user("bench-officer", password=password, first_name="Hà", last_name="Trần")
    user.groups.add(roles.sync_roles()[roles.RECEPTION_OFFICER])
    Officer.objects.create(user=user, agency=agency, branch=branch)
    login = RequestFactory().post("/api/auth/token")
    issued = tokens.issue_token(login, username=user.username, password=password, name="benchmark")
    return {
        "point": halls[0]["point"],
        "counters": halls[0]["counters"],
        "halls": halls,
        "groups": [civil.letter, land.letter],
        "token": issued.token,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counters", type=int, default=8)
    parser.add_argument("--service-minutes", type=int, default=1)
    parser.add_argument("--schema", choices=("migrate", "models"), default="migrate")
    parser.add_argument("--points", type=int, default=1, help="halls (service points), each with its counters")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")
    print(json.dumps(build(args.counters, args.service_minutes, from_models=args.schema == "models",
                           points=args.points)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
