"""Settings for benchmark servers: the project's own settings with a URLconf that adds a baseline endpoint."""

from motcua.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"

# The reception desk's requests all come from 127.0.0.1 here: the per-address ticket limit (30/m) would
# answer 429 to most of the issue phase. The limit's counter is still written on every request.
MOTCUA_TICKET_RATE = "1000000/m"
