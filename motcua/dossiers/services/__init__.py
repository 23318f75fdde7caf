"""Every write on dossiers is one function here (split by use case)."""

from .documents import OpenedDocument, open_document
from .intake import (
    ApplicantData,
    FeeDeclaration,
    RepresentativeData,
    Submission,
    check_submission,
    file_dossier,
    receive_online,
    refuse_intake,
    submit_dossier,
)
from .outcome import (
    apologise,
    attach_result,
    mark_ready,
    request_supplement,
    return_result,
    stop,
    stop_expired_supplements,
    supply,
    withdraw,
)
from .processing import (
    answer_consultation,
    approve,
    consult,
    forward,
    propose_approval,
    reassign,
    refuse,
    send_back,
    take,
)

__all__ = [
    "ApplicantData", "FeeDeclaration", "OpenedDocument", "RepresentativeData", "Submission", "answer_consultation", "apologise",
    "approve", "attach_result", "check_submission", "consult", "forward", "mark_ready", "open_document", "propose_approval", "reassign",
    "receive_online", "refuse", "refuse_intake", "request_supplement", "return_result", "send_back", "stop",
    "stop_expired_supplements", "file_dossier", "submit_dossier", "supply", "take", "withdraw",
]
