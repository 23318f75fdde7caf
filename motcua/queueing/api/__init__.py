"""Queue API: issue tickets, call and handle them at counters, read the board, follow live events, book.

Public answers (board, events, a citizen's ticket) carry ticket numbers only; the bound ID is shown
in full only to the officer who calls the ticket.
"""

from ninja import Router

from . import board, booking, counters, tickets

router = Router(tags=["queueing"])
# In this order: /counters/{id}/call-next must come before /counters/{id}/{action}.
router.add_router("", tickets.router)
router.add_router("", counters.router)
router.add_router("", board.router)
router.add_router("", booking.router)
