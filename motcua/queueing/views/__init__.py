"""Queue pages, one module per use case: the kiosk and its slip, device pairing, the counter console and
the staff hub, the hall's board, online booking and the kiosk's check-in."""
