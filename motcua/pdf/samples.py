"""Realistic sample data for every form, used by the tests, the docs and `python -m motcua.pdf.samples`.

Run `python -m motcua.pdf.samples var/forms` to write every form (PDF, and the register as XLSX too).
"""

import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from .apology import Apology
from .base import Applicant, Issuer, Signature
from .control_sheet import HandOver, HandOverResult, ProcessControlSheet
from .receipt import DocumentKind, ReceiptSlip, ReceivedDocument, Representative
from .refusal import Refusal
from .refusal_letter import RefusalLetter
from .register import DossierRegister, RegisterRow
from .stop_notice import StopNotice
from .supplement import SupplementItem, SupplementRequest
from .text import LOCAL_TZ

CENTER = Issuer(
    parent="UBND THÀNH PHỐ HÀ NỘI",
    name="Trung tâm Phục vụ hành chính công thành phố Hà Nội",
    department="Chi nhánh số 1",
    place="Hà Nội",
)
DOSSIER_CODE = "000.00.06.H26-261123-0361"
TRACKING_KEY = "7KQ2M-X9FTA"
TRACKING_URL = f"https://dichvucong.hanoi.gov.vn/tracking/000.00.06.H26-261123-0361/?key={TRACKING_KEY}"
APPLICANT = Applicant(
    name="Nguyễn Thị Thuỳ Dương",
    id_number="001190012345",
    address="Số 12 ngõ 85 phố Hoàng Cầu, phường Đống Đa, thành phố Hà Nội",
    phone="0912 345 678",
    email="thuyduong.nguyen@example.vn",
)
PROCEDURE = "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu"
RECEIVED_AT = datetime(2026, 11, 23, 8, 35, tzinfo=LOCAL_TZ)
RETURN_AT = datetime(2026, 12, 7, 16, 0, tzinfo=LOCAL_TZ)
OFFICER = Signature(name="Trần Minh Đức")


def receipt_slip(**changes) -> ReceiptSlip:
    data = dict(
        issuer=CENTER,
        number="2611/GTN-CN1",
        dossier_code=DOSSIER_CODE,
        tracking_url=TRACKING_URL,
        tracking_key=TRACKING_KEY,
        receiving_unit="Bộ phận Một cửa - Chi nhánh số 1 (258 Võ Chí Công)",
        applicant=APPLICANT,
        representative=Representative(
            name="Lê Văn Hùng",
            id_number="001085004321",
            phone="0987 654 321",
            authorisation="Giấy ủy quyền số 12/2026/UQ ngày 20/11/2026, chứng thực tại UBND phường Cầu Giấy",
        ),
        matter=PROCEDURE,
        documents=[
            ReceivedDocument(
                "Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu số 04/ĐK)", DocumentKind.ORIGINAL, 1
            ),
            ReceivedDocument(
                "Giấy tờ về quyền sử dụng đất theo Điều 137 Luật Đất đai", DocumentKind.CERTIFIED_COPY, 1
            ),
            ReceivedDocument("Sơ đồ nhà ở, công trình xây dựng", DocumentKind.COPY, 2),
            ReceivedDocument("Chứng từ thực hiện nghĩa vụ tài chính", DocumentKind.PHOTOCOPY, 1),
        ],
        sets=1,
        processing_time="20 ngày làm việc",
        received_at=RECEIVED_AT,
        return_at=RETURN_AT,
        return_place="Quầy trả kết quả số 5, Chi nhánh số 1, 258 Võ Chí Công, phường Tây Hồ, Hà Nội",
        fees=1_250_000,
        register_book="03/2026",
        register_number="1.297",
        receiving_officer=Signature(
            name="Trần Minh Đức", digitally_signed=True, signed_at=RECEIVED_AT + timedelta(minutes=4)
        ),
    )
    data.update(changes)
    return ReceiptSlip(**data)


def supplement_request(**changes) -> SupplementRequest:
    data = dict(
        issuer=CENTER,
        number="0417/PYCBS-CN1",
        dossier_code=DOSSIER_CODE,
        tracking_url=TRACKING_URL,
        receiving_unit="Bộ phận Một cửa - Chi nhánh số 1",
        applicant=APPLICANT,
        matter=PROCEDURE,
        received_at=RECEIVED_AT,
        items=[
            SupplementItem(
                "Bản vẽ sơ đồ nhà ở, công trình xây dựng có chữ ký của người đề nghị",
                "Sơ đồ đã nộp chưa thể hiện kích thước các cạnh và diện tích xây dựng",
            ),
            SupplementItem(
                "Bản sao chứng thực Giấy chứng nhận quyền sử dụng đất của thửa đất liền kề",
                "Để xác định ranh giới thửa đất theo quy định tại khoản 2 Điều 137 Luật Đất đai",
            ),
            SupplementItem("Tờ khai lệ phí trước bạ (Mẫu số 01/LPTB)", "Tờ khai chưa ghi mã số thuế"),
        ],
        complete_by=date(2026, 12, 14),
        contact_officer="bà Phạm Thu Hà, Bộ phận Một cửa - Chi nhánh số 1",
        contact_phone="024 3771 2345",
        signer=Signature(name="Phạm Thu Hà"),
        issued_on=date(2026, 11, 23),
    )
    data.update(changes)
    return SupplementRequest(**data)


def refusal(**changes) -> Refusal:
    data = dict(
        issuer=CENTER,
        number="0052/PTC-CN1",
        receiving_unit="Bộ phận Một cửa - Chi nhánh số 1",
        applicant=Applicant(
            name="Công ty TNHH Thương mại Đồng Xuân",
            id_number="0109876543",
            address="Số 5 phố Hàng Chiếu, phường Hoàn Kiếm, thành phố Hà Nội",
            phone="024 3826 1111",
            email="lienhe@dongxuan.example.vn",
        ),
        dossier_code="000.00.06.H26-261123-0377",
        tracking_url="https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma=000.00.06.H26-261123-0377",
        matter="Cấp Giấy phép kinh doanh bán lẻ sản phẩm rượu",
        reasons=[
            "Thủ tục hành chính không thuộc thẩm quyền giải quyết của Ủy ban nhân dân thành phố.",
            "Hồ sơ đã được trả lại vì không bổ sung trong thời hạn 15 ngày làm việc; đề nghị nộp hồ sơ mới.",
        ],
        receiving_officer=Signature(name="Trần Minh Đức"),
        issued_on=date(2026, 11, 23),
    )
    data.update(changes)
    return Refusal(**data)


def refusal_letter(**changes) -> RefusalLetter:
    data = dict(
        issuer=Issuer(parent="UBND THÀNH PHỐ HÀ NỘI", name="Sở Nông nghiệp và Môi trường", place="Hà Nội"),
        number="",
        dossier_code=DOSSIER_CODE,
        tracking_url=TRACKING_URL,
        applicant=APPLICANT,
        matter=PROCEDURE,
        receiving_unit="Chi nhánh số 1 – Trung tâm Phục vụ hành chính công",
        received_at=RECEIVED_AT,
        reasons=["Thửa đất đang có tranh chấp, đã được Tòa án nhân dân thụ lý (khoản 1 Điều 45 Luật Đất đai)."],
        head=Signature(name="Nguyễn Văn Thắng", title="GIÁM ĐỐC"),
        issued_on=date(2026, 12, 4),
    )
    data.update(changes)
    return RefusalLetter(**data)


def apology(**changes) -> Apology:
    data = dict(
        issuer=Issuer(
            parent="UBND THÀNH PHỐ HÀ NỘI",
            name="Sở Nông nghiệp và Môi trường",
            place="Hà Nội",
        ),
        number="215/PXL-SNNMT",
        dossier_code=DOSSIER_CODE,
        tracking_url=TRACKING_URL,
        applicant=APPLICANT,
        matter=PROCEDURE,
        received_at=RECEIVED_AT,
        original_return_at=RETURN_AT,
        reason="Phải lấy ý kiến của Ủy ban nhân dân phường Đống Đa về nguồn gốc sử dụng đất.",
        new_return_at=datetime(2026, 12, 14, 16, 0, tzinfo=LOCAL_TZ),
        head=Signature(
            name="Nguyễn Văn Thắng",
            title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
            digitally_signed=True,
            signed_at=datetime(2026, 12, 4, 10, 12, tzinfo=LOCAL_TZ),
        ),
        issued_on=date(2026, 12, 4),
    )
    data.update(changes)
    return Apology(**data)


def stop_notice(**changes) -> StopNotice:
    data = dict(
        issuer=CENTER,
        number="0031/PDGQ-CN1",
        dossier_code=DOSSIER_CODE,
        tracking_url=TRACKING_URL,
        applicant=APPLICANT,
        matter=PROCEDURE,
        received_at=RECEIVED_AT,
        reason="Người nộp hồ sơ có đơn đề nghị dừng giải quyết hồ sơ ngày 26/11/2026.",
        stopped_on=date(2026, 11, 26),
        signer=Signature(name="Hoàng Thị Lan", title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"),
        issued_on=date(2026, 11, 26),
    )
    data.update(changes)
    return StopNotice(**data)


_UNITS = [
    ("Bộ phận Một cửa - Chi nhánh số 1", "Trần Minh Đức"),
    ("Văn phòng Đăng ký đất đai Hà Nội", "Đỗ Quang Vinh"),
    ("Phòng Đăng ký và Cấp giấy chứng nhận", "Vũ Thị Ngọc Ánh"),
    ("UBND phường Đống Đa", "Bùi Văn Khánh"),
    ("Chi cục Thuế khu vực I", "Ngô Thị Mai"),
]


def hand_overs(count: int) -> list[HandOver]:
    """`count` plausible hand-overs, two working hours apart."""
    results = [HandOverResult.EARLY, HandOverResult.ON_TIME, HandOverResult.ON_TIME, HandOverResult.LATE]
    steps = []
    for i in range(count):
        (from_unit, from_person), (to_unit, to_person) = _UNITS[i % 5], _UNITS[(i + 1) % 5]
        steps.append(
            HandOver(
                from_unit=from_unit,
                from_person=from_person,
                to_unit=to_unit,
                to_person=to_person,
                handed_at=_working_time(RECEIVED_AT, 100 * i + 40),
                result=results[i % 4] if i < count - 1 else "",
                note="Chuyển hồ sơ giấy qua bưu chính" if i % 3 == 0 else "",
            )
        )
    return steps


def _working_time(start: datetime, minutes: int) -> datetime:
    """`minutes` of working time after `start`, counting 8:00-12:00 and 13:00-17:00 on weekdays."""
    moment = start
    while minutes > 0:
        step = min(minutes, 10)
        moment += timedelta(minutes=step)
        minutes -= step
        if moment.hour == 12:
            moment = moment.replace(hour=13)
        if moment.hour >= 17:
            moment = (moment + timedelta(days=1)).replace(hour=8)
            while moment.weekday() >= 5:
                moment += timedelta(days=1)
    return moment


def process_control_sheet(count: int = 6, **changes) -> ProcessControlSheet:
    data = dict(
        issuer=CENTER,
        dossier_code=DOSSIER_CODE,
        tracking_url=TRACKING_URL,
        receipt_number="2611/GTN-CN1",
        applicant_name=APPLICANT.name,
        matter=PROCEDURE,
        lead_agency="Sở Nông nghiệp và Môi trường (Văn phòng Đăng ký đất đai Hà Nội)",
        cooperating_agencies=["UBND phường Đống Đa", "Chi cục Thuế khu vực I"],
        received_at=RECEIVED_AT,
        appointment_at=RETURN_AT,
        hand_overs=hand_overs(count),
        issued_on=date(2026, 11, 23),
    )
    data.update(changes)
    return ProcessControlSheet(**data)


_PEOPLE = [
    ("Nguyễn Thị Thuỳ Dương", "Số 12 ngõ 85 phố Hoàng Cầu, phường Đống Đa", "0912 345 678"),
    ("Trần Quốc Bảo", "Số 126 phố Hàng Trống, phường Hoàn Kiếm", "0903 111 222"),
    ("Lê Thị Hồng Nhung", "Số 25 phố Liễu Giai, phường Ngọc Hà", "0934 567 890"),
    ("Công ty Cổ phần Xây dựng Thăng Long", "Số 8 phố Phạm Hùng, phường Cầu Giấy", "024 3795 0000"),
    ("Phạm Đức Huy", "Thôn Đông, xã Sóc Sơn", ""),
]
_PROCEDURES = [
    (PROCEDURE, "Sở Nông nghiệp và Môi trường"),
    ("Đăng ký khai sinh", "UBND phường Đống Đa"),
    ("Cấp Phiếu lý lịch tư pháp số 1", "Sở Tư pháp"),
    ("Cấp giấy phép xây dựng nhà ở riêng lẻ", "UBND phường Cầu Giấy"),
    ("Đăng ký thành lập hộ kinh doanh", "UBND xã Sóc Sơn"),
]
_METHODS = ["Trực tiếp", "Dịch vụ bưu chính công ích", "Trực tuyến"]


def register_rows(count: int) -> list[RegisterRow]:
    rows = []
    for i in range(count):
        name, address, phone = _PEOPLE[i % len(_PEOPLE)]
        procedure, agency = _PROCEDURES[i % len(_PROCEDURES)]
        received = RECEIVED_AT + timedelta(minutes=17 * i)
        returned = None if i % 4 == 3 else received + timedelta(days=3, hours=2)
        rows.append(
            RegisterRow(
                sequence=i + 1,
                dossier_code=f"000.00.06.H26-261123-{361 + i:04d}",
                procedure=procedure,
                applicant_name=name,
                address=address,
                phone=phone,
                lead_agency=agency,
                received_at=received,
                appointment_at=received + timedelta(days=7),
                returned_at=returned,
                collection_method=_METHODS[i % 3] if returned else "",
                tracking_url=f"{TRACKING_URL[:-4]}{361 + i:04d}" if i % 5 == 0 else "",
            )
        )
    return rows


def dossier_register(count: int = 12, **changes) -> DossierRegister:
    data = dict(
        issuer=CENTER,
        issued_on=date(2026, 11, 30),
        book="03/2026",
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        rows=register_rows(count),
    )
    data.update(changes)
    return DossierRegister(**data)


def write_all(folder: Path) -> list[Path]:
    """Render every sample form into `folder`; returns the files written."""
    from . import (
        export_dossier_register_xlsx,
        render_apology,
        render_dossier_register,
        render_process_control_sheet,
        render_receipt_slip,
        render_refusal,
        render_refusal_letter,
        render_stop_notice,
        render_supplement_request,
    )

    folder.mkdir(parents=True, exist_ok=True)
    outputs = {
        "01-giay-tiep-nhan.pdf": render_receipt_slip(receipt_slip()),
        "02-yeu-cau-bo-sung.pdf": render_supplement_request(supplement_request()),
        "03-tu-choi.pdf": render_refusal(refusal()),
        "04-xin-loi.pdf": render_apology(apology()),
        "tu-choi-giai-quyet.pdf": render_refusal_letter(refusal_letter()),
        "05-dung-giai-quyet.pdf": render_stop_notice(stop_notice()),
        "06-kiem-soat.pdf": render_process_control_sheet(process_control_sheet(40)),
        "07-so-theo-doi.pdf": render_dossier_register(dossier_register(30)),
        "07-so-theo-doi.xlsx": export_dossier_register_xlsx(dossier_register(30)),
    }
    written = []
    for name, content in outputs.items():
        path = folder / name
        path.write_bytes(content)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "var/forms")):
        print(path)
