"""Settings for benchmark servers: the project's own settings with a URLconf that adds a baseline endpoint."""

from motcua.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
