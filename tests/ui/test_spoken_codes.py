"""The key code a window shows is computed from the key itself, never taken
from a file's text: a packet whose manifest names another code for its
signer still shows its key's own code in the inbox."""

from __future__ import annotations

import io
import json
import zipfile

from upper_packets import BINH_LU_PASSPHRASE

from exports.collect.inbox import import_packets
from exports.collect.received import received_list
from exports.packets.format import DATA_JSON, FORM_XLSX, MANIFEST, PUBLIC_KEY, signed_zip
from models.gateway import Gateway
from models.keys import key_in_use, unlock_key
from ui.upper.inbox_model import reason_text

LIE = "1111 2222 3333 4444 5555"


def lying_packet(packets, folder):
    """Bình Lư's packet, signed again by its own key after its manifest's “spoken” was changed."""
    with zipfile.ZipFile(io.BytesIO(packets.raw["bl24"])) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(entries[MANIFEST])
    manifest["signer"]["spoken"] = LIE
    commune = Gateway.open(packets.folder / "xa-a.db")
    try:
        private = unlock_key(commune, key_in_use(commune, "03390"), BINH_LU_PASSPHRASE)
    finally:
        commune.close()
    path = folder / "bl24-noi-doi.sctg"
    path.write_bytes(signed_zip(manifest, {n: entries[n] for n in (FORM_XLSX, DATA_JSON, PUBLIC_KEY)}, private))
    return path


def test_a_quarantined_packet_shows_its_keys_own_code(qtbot, upper_window, packets, tmp_path):
    path = lying_packet(packets, tmp_path)
    (filed,) = import_packets(upper_window.gw, [path], upper_window.library, "tinh").filed
    assert filed.outcome == "quarantined"
    (packet,) = [p for p in received_list(upper_window.gw) if p.id == filed.packet_id]
    assert packet.signer_spoken == packets.key.spoken != LIE
    assert packets.key.spoken in reason_text(packet) and LIE not in reason_text(packet)
    upper_window.refresh_all()
    upper_window.choose("kl224", "2024")
    assert upper_window.inbox_view.select_packet(filed.packet_id)
    assert upper_window.inbox_view.fingerprint.text() == packets.key.spoken
    assert LIE not in upper_window.inbox_view.detail.text()
