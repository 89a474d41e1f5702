"""The key lifecycle as the province officer sees it in the inbox (issue 15):
a stolen old key after its replacement, backdated and forward-dated packets,
a sequence far ahead, and the genuine packets, imported in the real window.
The genuine ones end up accepted, the forged ones held or refused, and the
inbox says why in words that name both keys."""

from __future__ import annotations

import datetime as dt

from packet_forge import UNIT, forged, now

from exports.collect.inbox import enrol_and_refile
from exports.packets.enrolment import read_enrolment, write_enrolment
from forms.library import default_library
from models.keys import create_unit_key, key_in_use
from ui.upper.inbox_model import reason_text

WAIT = 20_000
NEW_PASSPHRASE = "mật khẩu khóa mới của xã"


def imported(qtbot, window, paths):
    with qtbot.waitSignal(window.import_finished, timeout=WAIT) as blocker:
        assert window.import_paths(paths) is not None
    return blocker.args[0]


def inbox(window) -> dict[str, tuple[str, str]]:
    """File name -> (status, the reason the inbox shows), as the window's model holds them."""
    model = window.inbox_view.model
    return {
        model.packet(r).file_name: (model.packet(r).status, reason_text(model.packet(r)))
        for r in range(model.rowCount())
    }


def test_forged_packets_are_held_or_refused_and_the_genuine_ones_accepted(qtbot, upper_window, commune, tmp_path):
    genuine_1 = commune.sign(1, at=now() - dt.timedelta(hours=2), name="that-1.sctg")
    imported(qtbot, upper_window, [genuine_1])
    old = commune.key
    new = create_unit_key(commune.gw, UNIT, NEW_PASSPHRASE, "Lò Văn Mới", "Công chức", replace=True)
    enrolment = write_enrolment(new, commune.gw.require_unit(UNIT), tmp_path / "khoa-moi.sctk")
    enrolled, _ = enrol_and_refile(upper_window.gw, read_enrolment(enrolment), default_library(), "kiem-thu")
    assert old.spoken in enrolled.sentence()

    stolen = commune.sign(2, key=old, name="khoa-cu-bi-lo.sctg")
    backdated = forged(
        commune.sign(3, key=old, name="lui-ngay.sctg"),
        manifest=lambda m: m.update(created_at="2020-01-01T08:00:00+07:00"),
    )
    ahead = forged(
        commune.sign(3, key=old, name="vuot-ngay.sctg"),
        manifest=lambda m: m.update(created_at="2999-01-01T08:00:00+07:00"),
    )
    commune.key, commune.passphrase = key_in_use(commune.gw, UNIT), NEW_PASSPHRASE
    far = commune.sign(9999, name="lan-9999.sctg")
    genuine_2 = commune.sign(2, name="that-2.sctg")
    imported(qtbot, upper_window, [stolen, backdated, ahead, far, genuine_2])

    seen = inbox(upper_window)
    assert seen["that-1.sctg"][0] == "superseded" and seen["that-2.sctg"][0] == "accepted"
    status, reason = seen["khoa-cu-bi-lo.sctg"]
    assert status == "held" and old.spoken in reason and new.spoken in reason
    assert seen["gia-lui-ngay.sctg"][0] == "rejected" and "trước khi có khóa" in seen["gia-lui-ngay.sctg"][1]
    assert seen["gia-vuot-ngay.sctg"][0] == "rejected" and "đồng hồ" in seen["gia-vuot-ngay.sctg"][1]
    assert seen["lan-9999.sctg"][0] == "held" and "quá 100" in seen["lan-9999.sctg"][1]
