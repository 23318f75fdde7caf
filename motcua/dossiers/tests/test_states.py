"""Our states on the national portal's ten statuses."""

import pytest

from motcua.dossiers.models import State
from motcua.dossiers.states import ACTIONS, NATIONAL_STATUS_LABELS, TRANSITIONS, national_status

EXPECTED = {
    "new": 1, "received": 2, "not_received": 3, "processing": 4, "awaiting_approval": 4, "approved": 4,
    "supplement_requested": 5, "financial_pending": 6, "withdrawn": 7, "stopped": 8, "result_ready": 9, "refused": 9, "returned": 10,
}


@pytest.mark.parametrize("state", State.values)
def test_every_state_maps_to_a_national_status(state):
    assert national_status(state) == EXPECTED[state]
    assert national_status(state) in NATIONAL_STATUS_LABELS


def test_the_table_covers_every_state():
    assert set(EXPECTED) == set(State.values)


def test_no_action_leaves_a_final_state():
    finals = {State.NOT_RECEIVED, State.RETURNED, State.WITHDRAWN, State.STOPPED}
    for action in ACTIONS:
        sources, target = TRANSITIONS[action]
        assert not (sources & finals), action
        assert target is None or target in State.values


def test_unknown_state_is_an_error():
    with pytest.raises(ValueError):
        national_status("lost")
