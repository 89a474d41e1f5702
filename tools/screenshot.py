"""Regenerate docs/screenshot-main-window.png: the window over a fresh demo
database, Xã Mường Tè, 2025, compared with the Mường Tè targets.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshot.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from forms.library import default_library  # noqa: E402
from models.demo import build_demo  # noqa: E402
from models.gateway import Gateway  # noqa: E402
from ui.app import open_window  # noqa: E402


def main() -> None:
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.db"
        build_demo(Gateway.open(path), default_library())
        window = open_window(path)
        window.target_box.setCurrentIndex(window.target_box.findData("muong-te-2025"))
        window.show()
        error = window.controller.session.view.evaluation.errors[0]
        window.findings.list.setCurrentRow(0)
        window.jump_to_finding(error)
        app.processEvents()
        out = ROOT / "docs" / "screenshot-main-window.png"
        window.grab().save(str(out))
        window.close()
    print(out)


if __name__ == "__main__":
    main()
