"""Form versions kept in a database (models/form_store.py) on a real SQLite
file: stored with their publisher, listed beside the shipped forms, read back
equal, refused with the reason when they would change an indicator's
meaning, reuse a number for other content, or name no publisher."""

from __future__ import annotations

import json

import pytest
from testkit import province_kl224

from forms.definition_data import form_data
from forms.library import default_library
from forms.loader import form_from_data
from models.errors import BadInput
from models.form_store import library_of, store_form
from models.gateway import Gateway
from models.vocabulary import FormOrigin


@pytest.fixture
def gw(tmp_path):
    gw = Gateway.open(tmp_path / "tinh.db")
    yield gw
    gw.close()


def province_version(version=2, **changes):
    return province_kl224(version, **changes)


def test_a_province_s_version_is_kept_and_listed_beside_the_shipped_form(gw, tmp_path):
    form, new = store_form(gw, province_version(), FormOrigin.AUTHORED, "Nguyễn Văn Bình")
    assert new and form.key == ("kl224", "12", 2)
    library = library_of(gw)
    assert library.get("kl224", 2, "12").has_indicator("ban_co_loa")
    assert library.get("kl224").key == ("kl224", "", 2)  # the program's own, unchanged
    assert {f.key for f in library.all() if f.id == "kl224"} == {("kl224", "", 2), ("kl224", "12", 2)}
    gw.close()
    again = Gateway.open(tmp_path / "tinh.db")  # read back from the file
    try:
        kept = library_of(again).get("kl224", 2, "12")
        assert form_data(kept) == form_data(form)
        assert again.forms.get("kl224", "12", 2).stored_by == "Nguyễn Văn Bình"
    finally:
        again.close()


def test_the_same_version_again_changes_nothing_and_other_content_is_refused(gw):
    store_form(gw, province_version(), FormOrigin.AUTHORED, "tinh")
    _form, new = store_form(gw, province_version(), FormOrigin.AUTHORED, "tinh")
    assert not new
    with pytest.raises(BadInput, match="đã có, với nội dung khác: hãy đặt số phiên bản mới"):
        store_form(gw, province_version(title="TIÊU ĐỀ KHÁC"), FormOrigin.AUTHORED, "tinh")
    assert len(gw.forms.all()) == 1


def test_a_change_of_an_indicator_s_meaning_is_refused_with_its_reason(gw):
    data = form_data(province_version())
    changed = next(i for i in data["indicators"] if i["id"] == "ban_co_nvh")
    changed["unit"] = "thôn"
    with pytest.raises(BadInput) as caught:
        store_form(gw, form_from_data(data, "x"), FormOrigin.AUTHORED, "tinh")
    assert "đổi nghĩa chỉ tiêu đã có" in str(caught.value)
    assert "chỉ tiêu “ban_co_nvh”" in str(caught.value) and "“bản” ở biểu kl224 phiên bản 1" in str(caught.value)
    assert gw.forms.all() == []


def test_a_form_without_a_publisher_or_a_shipped_version_is_not_stored(gw):
    with pytest.raises(BadInput, match="thiếu đơn vị ban hành"):
        store_form(gw, default_library().get("kl224", 1), FormOrigin.AUTHORED, "tinh")
    assert gw.forms.all() == []


def test_the_library_is_read_again_only_when_a_form_was_stored(gw):
    first = library_of(gw)
    assert first is default_library() and library_of(gw) is first
    store_form(gw, province_version(), FormOrigin.AUTHORED, "tinh")
    second = library_of(gw)
    assert second is not first and library_of(gw) is second


def test_a_damaged_stored_form_is_said_not_used(gw):
    store_form(gw, province_version(), FormOrigin.AUTHORED, "tinh")
    broken = json.loads(gw.db.execute("SELECT definition FROM forms").fetchone()[0])
    broken["indicators"][0]["kind"] = "cout"
    gw.db.execute("UPDATE forms SET definition = ?, stored_at = 'x'", [json.dumps(broken)])
    library = library_of(gw)  # each kept version is read when asked for
    with pytest.raises(BadInput, match="Biểu lưu trong cơ sở dữ liệu bị hỏng"):
        library.get("kl224", 2, "12")


def test_a_form_only_the_province_sent_is_known_to_the_commands_of_that_database(demo_path):
    from models.reporting import find_report_view, require_form, start_report

    gw = Gateway.open(demo_path)
    try:
        with pytest.raises(BadInput, match="Không có biểu “kh26”"):
            require_form("kh26", gw)
        store_form(gw, province_kl224(1, id="kh26"), FormOrigin.RECEIVED, "xa")
        form = require_form("kh26", gw)
        assert form.key == ("kh26", "12", 1)
        start_report(gw, "03445", form, "2026")
        view = find_report_view(gw, "03445", "kh26", "2026")
        assert view.form.key == ("kh26", "12", 1) and view.form.has_indicator("ban_co_loa")
    finally:
        gw.close()
