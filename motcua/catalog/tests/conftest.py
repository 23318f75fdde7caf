import textwrap
from pathlib import Path

import pytest

from motcua.org.models import Agency

FIELDS = """\
- code: ho-tich
  name: Hộ tịch
  service_group: tu-phap
- code: dat-dai
  name: Đất đai
  service_group: dat-dai
"""

BIRTH = """\
- code: "1.001193"
  name: Thủ tục đăng ký khai sinh
  field: ho-tich
  level: commune
  agency: commune
  legal_basis: Luật Hộ tịch số 60/2014/QH13
  processing_days: 1
  result: Giấy khai sinh
  online_level: full
  source: https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193
  documents:
    - name: Tờ khai đăng ký khai sinh
      kind: original
      count: 1
    - name: Giấy tờ tùy thân
      kind: shown
      registry_replaces: true
  fees:
    - name: Lệ phí đăng ký khai sinh
      amount: 0
      exemptions: Miễn khi đăng ký đúng hạn
  route:
    - name: Tiếp nhận
      role: reception
      agency: center
      hours: 2
    - name: Xử lý
      role: agency_officer
      agency: competent
      hours: 4
"""

LAND = """\
- code: "1.004227"
  name: Đăng ký thế chấp quyền sử dụng đất
  field: dat-dai
  level: province
  agency: so-nong-nghiep
  processing_days: 0.5
  online_level: partial
  documents:
    - name: Phiếu yêu cầu đăng ký thế chấp
  fees:
    - name: Phí đăng ký giao dịch bảo đảm
      kind: fee
      amount: 80000
      per: hồ sơ
  route:
    - name: Thẩm định
      role: agency_officer
      agency: competent
      hours: 3
    - name: Ký duyệt
      role: branch_leader
      agency: trung-tam
      hours: 1
"""


def write_catalog(root: Path, *, fields: str = FIELDS, files: dict[str, str] | None = None) -> Path:
    (root / "procedures").mkdir(parents=True, exist_ok=True)
    (root / "fields.yaml").write_text(textwrap.dedent(fields), encoding="utf-8")
    for name, text in (files if files is not None else {"ho-tich.yaml": BIRTH, "dat-dai.yaml": LAND}).items():
        (root / "procedures" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def agencies(db):
    return [
        Agency.objects.create(code="so-nong-nghiep", name="Sở Nông nghiệp và Môi trường Hà Nội",
                              short_name="Sở NN&MT", kind="department", e_id="000.00.11.H26"),
        Agency.objects.create(code="trung-tam", name="Trung tâm Phục vụ hành chính công",
                              short_name="Trung tâm", kind="center", e_id="000.00.01.H26"),
    ]


@pytest.fixture
def catalog_dir(tmp_path, agencies):
    return write_catalog(tmp_path / "catalog")
