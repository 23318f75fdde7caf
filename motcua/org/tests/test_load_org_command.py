"""`manage.py load_org`."""

import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_a_second_load_reports_no_change(org_data):
    out = StringIO()
    call_command("load_org", stdout=out)
    text = out.getvalue()
    assert "tỉnh 34" in text and "xã 126" in text and "chi nhánh 12" in text
    assert text.rstrip().endswith("Không có gì thay đổi.")


def test_a_broken_data_folder_names_the_problem(org_data, tmp_path):
    shutil.copytree(settings.DATA_DIR / "units", tmp_path / "units")
    shutil.copytree(settings.DATA_DIR / "org", tmp_path / "org")
    center = tmp_path / "org" / "center.yaml"
    center.write_text(center.read_text(encoding="utf-8").replace("letter: G", "letter: A"), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("load_org", "--data", str(tmp_path))
    assert f"{center}:" in str(caught.value) and "service_groups[giao-duc]: letter" in str(caught.value)
