"""Settings for benchmark servers: the project's own settings with a URLconf that adds a baseline endpoint."""

from motcua.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"

# The reception desk's requests all come from 127.0.0.1 here: the per-address ticket limit (30/m) would
# answer 429 to most of the issue phase. The limit's counter is still written on every request.
MOTCUA_TICKET_RATE = "1000000/m"

# Likewise for public tracking in bench_mixed.py: every tracking request comes from 127.0.0.1 and the
# same 200 dossiers are tracked over and over (limits 30/m per address, 10/h per code otherwise).
MOTCUA_TRACKING_RATE = "1000000/m"
MOTCUA_TRACKING_CODE_RATE = "1000000/h"
