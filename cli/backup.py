"""Backups of the database: backup create, list, restore."""

from __future__ import annotations

from cli.common import command, command_group, db_arg, json_arg, open_existing, print_json


def register(commands) -> None:
    group = command_group(commands, "backup", "bản sao lưu cơ sở dữ liệu: tạo, xem, khôi phục", "sao lưu")

    sub = command(
        group, "create", cmd_backup_create, "sao lưu ngay (cửa sổ chương trình tự sao lưu khi mở và khi nhập)"
    )
    db_arg(sub)
    json_arg(sub)

    sub = command(group, "list", cmd_backup_list, "các bản sao lưu, mới nhất trước, và bản nào dùng được")
    db_arg(sub)
    json_arg(sub)

    sub = command(
        group,
        "restore",
        cmd_backup_restore,
        "thay cơ sở dữ liệu hỏng bằng bản sao lưu tốt gần nhất; tệp cũ được giữ lại",
    )
    db_arg(sub)
    sub.add_argument("--from", dest="source", metavar="TỆP", help="bản sao lưu chọn dùng (mặc định: bản tốt mới nhất)")
    sub.add_argument("--force", action="store_true", help="khôi phục cả khi cơ sở dữ liệu hiện tại không hỏng")
    json_arg(sub)


def cmd_backup_create(args) -> int:
    from models.backups import prune_backups

    gw = open_existing(args.db)
    try:
        path = gw.backup()
        removed = prune_backups(gw.path)
    finally:
        gw.close()
    if args.json:
        print_json({"file": str(path), "removed": [str(p) for p in removed]})
    else:
        print(f"Đã sao lưu vào “{path}”.")
    return 0


def cmd_backup_list(args) -> int:
    from pathlib import Path

    from models.backups import listed_with_verdicts

    rows = listed_with_verdicts(Path(args.db))  # the verdicts recorded when each was proven good
    if args.json:
        print_json([backup.to_dict(good) for backup, good in rows])
    elif not rows:
        print(f"Chưa có bản sao lưu nào của “{args.db}”.")
    else:
        print("\n".join(f"{b.label}  {'tốt' if good else 'HỎNG'}  {b.path}" for b, good in rows))
    return 0


def cmd_backup_restore(args) -> int:
    from pathlib import Path

    from models.lock import DatabaseLock
    from models.recovery import backup_to_restore, restore_database

    path = Path(args.db)
    with DatabaseLock.take(path):  # refused while a window has the database open
        chosen = backup_to_restore(path, args.source)
        kept = restore_database(path, chosen, force=args.force)
        open_existing(path).close()  # the restored file opens, upgraded if it is older
    if args.json:
        print_json({"file": str(path), "restored_from": str(chosen.path), "kept": str(kept) if kept else None})
    else:
        print(f"Đã khôi phục “{path}” từ bản sao lưu lúc {chosen.label}.")
        if kept:
            print(f"Tệp cũ được giữ lại ở “{kept}”.")
    return 0
