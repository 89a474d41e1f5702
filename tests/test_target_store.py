"""Target sets a level sets for itself (models/target_store.py), on a real SQLite file: kept with their
source document and from-date, versioned, checked as a target in a form's file is (every problem at
once, nothing stored), seen by every form of library_of, and compared with a report in the version in
force for its period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from forms.definition_data import form_data
from forms.library import default_library
from models.errors import BadInput
from models.form_store import library_of
from models.gateway import Gateway
from models.reporting import find_target_set, open_report_view
from models.session import ReportSession
from models.target_store import TargetInput, TargetSetRefused, kept_target_sets, parse_target, save_target_set

D = dt.date
JANUARY_2024 = D(2024, 1, 1)


def kl224(gw):
    return library_of(gw).get("kl224")


def save(gw, *targets, set_id="muong-te-2026", starts=JANUARY_2024, name="Kế hoạch 2026 của Đảng ủy xã", **kw):
    return save_target_set(
        gw,
        kl224(gw),
        set_id,
        name,
        kw.get("source_number", "Kế hoạch số 12-KH/ĐU"),
        kw.get("source_date", D(2024, 1, 5)),
        starts,
        [parse_target(t) for t in targets],
        "Lò Thị Mai",
    )


def test_a_set_is_kept_with_its_source_and_every_form_of_the_id_offers_it(demo_db, demo_path):
    stored, new = save(demo_db, "2.3>=90%", "1.1>=120", "xa_co_nvh ≥ 100%")
    assert new and stored.version == 1 and stored.owner == "03445" and stored.tier == "xa"
    assert stored.targets == (
        {"indicator": "ban_co_nvh", "op": ">=", "percent": "90"},
        {"indicator": "cb_boi_duong", "op": ">=", "count": 120},
        {"indicator": "xa_co_nvh", "op": ">=", "percent": "100"},
    )
    for version in (1, 2):  # both versions of kl224 hold the indicators: both offer the set
        offered = library_of(demo_db).get("kl224", version).target_set("muong-te-2026")
        assert offered.source == "Kế hoạch số 12-KH/ĐU ngày 05/01/2024" and offered.owner == "03445"
        assert [(t.indicator, t.percent, t.count) for t in offered.in_force()][0] == ("ban_co_nvh", Decimal(90), None)
    assert library_of(demo_db).get("da241").target_set("muong-te-2026") is None  # another form's id
    # The shipped sets are still there, and a form's definition data holds only its own.
    assert [s.id for s in kl224(demo_db).target_sets][:3] == [
        "tp-lai-chau-2025",
        "muong-te-2025",
        "de-an-241-2016-2020",
    ]
    assert form_data(kl224(demo_db)) == form_data(default_library().get("kl224"))
    demo_db.close()
    again = Gateway.open(demo_path)  # read back from the file
    try:
        assert [s.to_dict()["stored_by"] for s in kept_target_sets(again, "kl224")] == ["Lò Thị Mai"]
        assert kept_target_sets(again, "da241") == []
    finally:
        again.close()


def test_every_mistake_is_named_with_its_target_and_nothing_is_kept(demo_db):
    with pytest.raises(TargetSetRefused) as refused:
        save(demo_db, "9.9>=50%", "2.3>=120%", "so_ho>=50%", "1.1>=12,5", "1.1>=10", "1.1>=11", set_id="Sai Mã")
    problems = refused.value.problems
    assert problems == [
        "mã bộ mục tiêu “Sai Mã” không hợp lệ (chữ thường không dấu, số, gạch ngang)",
        "mục tiêu “9.9>=50%”: chỉ tiêu “9.9” không có trong biểu kl224 hoặc không phải chỉ tiêu số",
        "mục tiêu “2.3>=120%”: tỷ lệ phải là số từ 0 đến 100",
        "mục tiêu “so_ho>=50%”: chỉ tiêu “Số hộ gia đình” không có mẫu số nên không tính được tỷ lệ",
        "mục tiêu “1.1>=12,5”: số lượng phải là số nguyên không âm",
        "mục tiêu “1.1>=11”: chỉ tiêu này đã có mục tiêu khác trong bộ",
    ]
    assert str(refused.value).startswith("Bộ mục tiêu chưa lưu: mã bộ mục tiêu")
    assert kept_target_sets(demo_db) == []
    with pytest.raises(TargetSetRefused, match="không đọc được"):
        parse_target("2.3 khoảng 90")
    with pytest.raises(TargetSetRefused, match="chưa có tên.*chưa ghi số văn bản.*chưa có mục tiêu nào"):
        save(demo_db, name=" ", source_number="")
    with pytest.raises(TargetSetRefused, match="“muong-te-2025” đã dùng cho một bộ mục tiêu khác"):
        save(demo_db, "2.3>=90%", set_id="muong-te-2025")  # a set shipped in kl224's file
    with pytest.raises(TargetSetRefused, match="phép so sánh “<>”"):
        save_target_set(
            demo_db,
            kl224(demo_db),
            "x",
            "X",
            "KH 1",
            D(2024, 1, 1),
            D(2024, 1, 1),
            [TargetInput("2.3", "<>", "1", False)],
            "a",
        )
    assert kept_target_sets(demo_db) == []


def test_a_new_version_keeps_the_id_and_the_period_s_end_chooses_the_version_in_force(demo_db):
    save(demo_db, "2.3>=90%", "1.1>=120", starts=D(2024, 1, 1))
    with pytest.raises(TargetSetRefused, match="ngày áp dụng 01/01/2024 phải sau ngày áp dụng của phiên bản 1"):
        save(demo_db, "2.3>=95%", starts=D(2024, 1, 1))
    second, new = save(demo_db, "2.3>=95%", starts=D(2025, 7, 1), name="Kế hoạch 2026 (điều chỉnh)")
    assert new and second.version == 2 and second.set_id == "muong-te-2026"
    again, new = save(demo_db, "2.3>=95%", starts=D(2025, 7, 1), name="Kế hoạch 2026 (điều chỉnh)")
    assert not new and again.version == 2  # the same content again keeps nothing new
    offered = kl224(demo_db).target_set("muong-te-2026")
    assert offered.version == 2 and offered.name == "Kế hoạch 2026 (điều chỉnh)"
    in_2024 = find_target_set(kl224(demo_db), "muong-te-2026", D(2024, 12, 31))
    assert in_2024.version == 1 and [t.indicator for t in in_2024.in_force()] == ["ban_co_nvh", "cb_boi_duong"]
    in_2025 = find_target_set(kl224(demo_db), "muong-te-2026", D(2025, 12, 31))
    assert in_2025.version == 2 and [t.indicator for t in in_2025.in_force()] == ["ban_co_nvh"]
    with pytest.raises(BadInput, match="áp dụng từ ngày 01/01/2024, sau ngày cuối của kỳ báo cáo \\(31/12/2023\\)"):
        find_target_set(kl224(demo_db), "muong-te-2026", D(2023, 12, 31))


def test_a_report_is_compared_with_the_kept_set_in_force_for_its_period(demo_db):
    save(demo_db, "2.3>=90%", "1.1>=120", starts=D(2024, 1, 1))
    save(demo_db, "2.3>=10%", starts=D(2025, 1, 1))
    view_2024 = open_report_view(demo_db, "03445", "kl224", "2024", "muong-te-2026")
    assert view_2024.evaluation.target_set.version == 1
    results = {r.indicator: r for r in view_2024.evaluation.targets}
    assert set(results) == {"ban_co_nvh", "cb_boi_duong"}
    figure = view_2024.evaluation.figures["ban_co_nvh"]
    met = figure.value * 100 >= 90 * figure.total
    assert results["ban_co_nvh"].status == ("dat" if met else "chua_dat")
    view_2025 = open_report_view(demo_db, "03445", "kl224", "2025", "muong-te-2026")
    assert [(r.indicator, r.percent) for r in view_2025.evaluation.targets] == [("ban_co_nvh", Decimal(10))]


def test_the_window_s_session_opens_without_a_set_not_yet_in_force_and_says_why(demo_db):
    save(demo_db, "2.3>=90%", starts=D(2025, 1, 1))
    report = demo_db.find_report("03445", "kl224", "2024")
    session = ReportSession(demo_db, report, kl224(demo_db), "Lò Thị Mai", "muong-te-2026")
    assert session.view.evaluation.target_set is None
    assert session.target_note.startswith("Bộ mục tiêu “Kế hoạch 2026 của Đảng ủy xã” áp dụng từ ngày 01/01/2025")
    session.set_target_set("muong-te-2025")  # a shipped set: compared, the note gone
    assert session.view.evaluation.target_set.id == "muong-te-2025" and session.target_note == ""


def test_a_database_without_a_home_unit_keeps_no_set(tmp_path):
    gw = Gateway.open(tmp_path / "trong.db")
    try:
        with pytest.raises(BadInput, match="chưa thiết lập đơn vị"):
            save(gw, "2.3>=90%")
    finally:
        gw.close()


def test_the_merged_table_compares_with_the_province_s_set_in_force(upper_path):
    from exports.collect.merge import merged_table

    gw = Gateway.open(upper_path)
    try:
        plan = [parse_target("2.3>=90%")]
        form = library_of(gw).get("kl224")
        save_target_set(
            gw,
            form,
            "tinh-2026",
            "Kế hoạch của Tỉnh ủy",
            "Kế hoạch số 1-KH/TU",
            D(2024, 1, 2),
            D(2024, 1, 1),
            plan,
            "a",
        )
        save_target_set(
            gw,
            form,
            "tinh-2026",
            "Kế hoạch của Tỉnh ủy",
            "Kế hoạch số 1-KH/TU",
            D(2024, 1, 2),
            D(2025, 1, 1),
            plan,
            "a",
        )
        assert merged_table(gw, "12", "kl224", "2024", "tinh-2026").target_set.version == 1
        assert merged_table(gw, "12", "kl224", "2025", "tinh-2026").target_set.version == 2
        assert kept_target_sets(gw)[0].tier == "tinh"
    finally:
        gw.close()
