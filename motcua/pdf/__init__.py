"""Official forms of the one-stop mechanism (Circular 03/2025/TT-VPCP, annex I) as A4 PDFs.

Each renderer takes a frozen dataclass of plain values and returns PDF bytes; nothing here touches the
database. `render_*_document` variants return a RenderedPdf (bytes, page count, QR positions).
See docs/forms.md.
"""

from .apology import Apology, render_apology, render_apology_document
from .base import Applicant, Issuer, RenderedPdf, Signature, SignatureSlot
from .control_sheet import (
    HandOver,
    HandOverResult,
    ProcessControlSheet,
    render_process_control_sheet,
    render_process_control_sheet_document,
)
from .fee_receipt import FeeItem, FeeReceipt, render_fee_receipt
from .fonts import FontNotFoundError
from .qr import QrPlacement, qr_matrix
from .receipt import (
    DocumentKind,
    ReceiptSlip,
    ReceivedDocument,
    Representative,
    render_receipt_slip,
    render_receipt_slip_document,
)
from .refusal import Refusal, render_refusal, render_refusal_document
from .refusal_letter import RefusalLetter, render_refusal_letter, render_refusal_letter_document
from .register import (
    DossierRegister,
    RegisterRow,
    export_dossier_register_xlsx,
    render_dossier_register,
    render_dossier_register_document,
)
from .stop_notice import StopNotice, render_stop_notice, render_stop_notice_document
from .supplement import (
    SupplementItem,
    SupplementRequest,
    render_supplement_request,
    render_supplement_request_document,
)

__all__ = [
    "render_fee_receipt",
    "Apology",
    "Applicant",
    "DocumentKind",
    "DossierRegister",
    "FeeItem",
    "FeeReceipt",
    "FontNotFoundError",
    "HandOver",
    "HandOverResult",
    "Issuer",
    "ProcessControlSheet",
    "QrPlacement",
    "ReceiptSlip",
    "ReceivedDocument",
    "Refusal",
    "RefusalLetter",
    "RegisterRow",
    "RenderedPdf",
    "Representative",
    "Signature",
    "SignatureSlot",
    "StopNotice",
    "SupplementItem",
    "SupplementRequest",
    "export_dossier_register_xlsx",
    "qr_matrix",
    "render_apology",
    "render_apology_document",
    "render_dossier_register",
    "render_dossier_register_document",
    "render_process_control_sheet",
    "render_process_control_sheet_document",
    "render_receipt_slip",
    "render_receipt_slip_document",
    "render_refusal",
    "render_refusal_document",
    "render_refusal_letter",
    "render_refusal_letter_document",
    "render_stop_notice",
    "render_stop_notice_document",
    "render_supplement_request",
    "render_supplement_request_document",
]
