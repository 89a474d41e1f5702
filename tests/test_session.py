"""The entry session: edits saved before they are shown, evaluated at once,
undone by putting old values back; warnings answered in writing."""

from __future__ import annotations

import pytest

from models.errors import BadInput
from models.gateway import Gateway
from models.session import ReportSession
from models.setup import setup_commune, split_village_list


@pytest.fixture
def session(demo_db, library):
    report = demo_db.find_report("03445", "kl224", "2025")
    return ReportSession(demo_db, report, library.get("kl224"), who="Lò Thị Mai", target_set_id="muong-te-2025")


def test_an_edit_is_in_the_database_before_the_session_returns(session, demo_path):
    village = session.view.villages[0].code
    session.apply([("so_ho", village, "1.234")])
    other = Gateway.open(demo_path)  # a second connection sees it: committed
    report = other.find_report("03445", "kl224", "2025")
    assert other.values(report)[("so_ho", village)] == 1234
    other.close()
    assert session.value("so_ho", village) == 1234


def test_fixing_the_error_clears_it_and_undo_brings_it_back(session):
    error = session.view.evaluation.errors[0]
    village = error.cell.village
    households = session.value("so_ho", village)
    changes = session.apply([("ho_van_hoa", village, households - 1)])
    assert session.view.evaluation.errors == []
    session.apply([(c.indicator, c.unit_code, c.old) for c in changes])  # undo
    assert [f.cell for f in session.view.evaluation.errors] == [error.cell]


def test_a_refused_value_changes_nothing(session):
    before = session.view
    village = before.villages[0].code
    with pytest.raises(BadInput, match="không phải là số"):
        session.apply([("so_ho", village, 12), ("ho_van_hoa", village, "mười")])
    assert session.view is before
    assert session.gw.values(session.report) == {
        (i, v): val for v, row in before.data.village_values.items() for i, val in row.items()
    } | {(i, "03445"): val for i, val in before.data.commune_values.items()}


def test_a_written_reason_is_kept_with_the_warning(session):
    warning = session.view.evaluation.warnings[0]
    session.set_reason(warning, "Bản mới được công nhận lại năm 2025")
    assert session.view.reason_for(warning) == "Bản mới được công nhận lại năm 2025"
    assert session.view.evaluation.target_set.id == "muong-te-2025"


def test_choosing_another_target_set_recompares(session):
    session.set_target_set("tp-lai-chau-2025")
    assert {t.indicator for t in session.view.evaluation.targets} >= {"ban_cum_loa_cntt"}
    session.set_target_set(None)
    assert session.view.evaluation.targets == []


def test_setup_makes_province_commune_villages_and_officer(fresh_db):
    names = split_village_list("Bản Nà Hừ\r\nBản Pa Ủ\t120\n\n  Bản Nậm Củm  \n")
    commune = setup_commune(fresh_db, "03445", names, "bản", "Lò Thị Mai", "Công chức Văn hóa - Xã hội")
    assert commune.name == "Xã Mường Tè" and commune.parent_code == "12"
    assert [v.name for v in fresh_db.villages_of("03445")] == ["Bản Nà Hừ", "Bản Pa Ủ", "Bản Nậm Củm"]
    assert [v.code for v in fresh_db.villages_of("03445")] == ["03445.01", "03445.02", "03445.03"]
    assert fresh_db.setting("officer_name") == "Lò Thị Mai"


def test_a_village_typed_in_decomposed_unicode_is_the_same_village(fresh_db):
    import unicodedata

    setup_commune(fresh_db, "03445", ["Bản Nà Hừ"], "bản", "Lò Thị Mai", "")
    with pytest.raises(BadInput, match="Bản Nà Hừ"):
        fresh_db.add_villages("03445", [unicodedata.normalize("NFD", "bản nà hừ")], "bản", who="x")
    assert len(fresh_db.villages_of("03445")) == 1


@pytest.mark.parametrize("code", ["99999", "12", ""])
def test_setup_refuses_a_code_not_in_the_catalogue(fresh_db, code):
    with pytest.raises(BadInput):
        setup_commune(fresh_db, code, ["Bản A"], "bản", "Lò Thị Mai", "")
    assert fresh_db.db["units"].count == 0
