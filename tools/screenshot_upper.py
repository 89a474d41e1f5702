"""Regenerate docs/screenshot-upper-window.png: the upper level's window over
the province demo after importing packets exported by the commune demo
(Mường Tè twice, Tân Phong, Sìn Hồ, and Bình Lư signed with a key the
province does not know yet), the held packet chosen in the inbox.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshot_upper.py
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from exports.packets.write import export_packet  # noqa: E402
from forms.library import default_library  # noqa: E402
from models.demo import build_demo, build_upper_demo  # noqa: E402
from models.gateway import Gateway  # noqa: E402
from models.keys import DEMO_PASSPHRASE, create_unit_key  # noqa: E402
from models.reporting import view_report  # noqa: E402
from ui.app import open_window  # noqa: E402

AT = dt.datetime(2025, 1, 10, 8, 0).astimezone()
SENT = (("03445", DEMO_PASSPHRASE), ("03445", DEMO_PASSPHRASE), ("03408", DEMO_PASSPHRASE), ("03478", DEMO_PASSPHRASE))


def export_packets(folder: Path) -> Path:
    out = folder / "goi"
    out.mkdir()
    gw = Gateway.open(folder / "xa.db")
    try:
        build_demo(gw, default_library())
        kl224 = default_library().get("kl224")
        create_unit_key(gw, "03390", "khoa-binh-lu", "Lường Văn Tâm", "Công chức Văn hóa - Xã hội")
        for unit, passphrase in (*SENT, ("03390", "khoa-binh-lu")):
            view = view_report(gw, gw.find_report(unit, "kl224", "2024"), kl224)
            export_packet(gw, view, passphrase, out, at=AT)
    finally:
        gw.close()
    return out


def main() -> None:
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        packets = export_packets(folder)
        gw = Gateway.open(folder / "tinh.db")
        build_upper_demo(gw)
        gw.close()
        window = open_window(folder / "tinh.db")
        window.show()
        loop = QEventLoop()
        window.import_finished.connect(lambda _run: loop.quit())
        window.import_paths([packets])
        loop.exec()
        if window.results_dialog is not None:
            window.results_dialog.close()
        window.choose("kl224", "2024")
        window.inbox_view.set_status_filter(None)
        held = next(p.id for p in window.inbox_view.rows() if p.status == "quarantined")
        window.inbox_view.select_packet(held)
        app.processEvents()
        out = ROOT / "docs" / "screenshot-upper-window.png"
        window.grab().save(str(out))
        window.close()
    print(out)


if __name__ == "__main__":
    main()
