"""The program's name and version, as packets and exported files record them."""

APP_NAME = "Sổ Chỉ Tiêu"
APP_VERSION = "0.4.0"
