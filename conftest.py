"""Configuration shared by the whole test suite.

Fixtures live next to the tests that use them: motcua/<app>/tests/conftest.py for one app,
e2e/conftest.py for the browser tests. Add a fixture here only when tests in more than one of
those places need it, under the section where it belongs.
"""

import os

# --- Process environment -------------------------------------------------------------------------
# Playwright's sync API starts an asyncio loop in the test thread and leaves it running until the
# end of the session, and Django refuses ORM calls from a thread with a running loop. Under xdist
# one worker runs browser tests and database tests one after the other, so this has to hold for
# the whole process, not only for e2e/. Nothing in the suite runs Django code concurrently with
# that loop: the browser drives the live server, which runs in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


# --- Fixtures shared across apps -----------------------------------------------------------------
# (none yet)
