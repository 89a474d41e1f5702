"""The database schema, as migrations applied in order and recorded in
``_sqlite_migrations``. Never edit an applied migration: add the next one.

Why it is long: a database made by any earlier release must reach today's
schema by running each step it lacks, in order, so every step stays here as
it was shipped; one file keeps that order visible."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATION_SET = "so_chi_tieu"
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_initial(db: Database) -> None:
    statements = [
        """CREATE TABLE units (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            parent_code TEXT REFERENCES units(code),
            local_code TEXT,
            sort_order INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL DEFAULT 1,
            merged_into TEXT REFERENCES units(code),
            demo INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX units_parent ON units(parent_code)",
        """CREATE TABLE unit_history (
            id INTEGER PRIMARY KEY,
            unit_code TEXT NOT NULL REFERENCES units(code),
            event TEXT NOT NULL,
            old_name TEXT,
            new_name TEXT,
            other_code TEXT REFERENCES units(code),
            at TEXT NOT NULL,
            who TEXT NOT NULL
        )""",
        """CREATE TABLE periods (
            code TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            label TEXT NOT NULL,
            starts TEXT NOT NULL,
            ends TEXT NOT NULL
        )""",
        """CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            unit_code TEXT NOT NULL REFERENCES units(code),
            form_id TEXT NOT NULL,
            form_version INTEGER NOT NULL,
            period_code TEXT NOT NULL REFERENCES periods(code),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (unit_code, form_id, period_code)
        )""",
        """CREATE TABLE cell_values (
            report_id INTEGER NOT NULL REFERENCES reports(id),
            indicator TEXT NOT NULL,
            unit_code TEXT NOT NULL REFERENCES units(code),
            value NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            PRIMARY KEY (report_id, indicator, unit_code)
        )""",
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            indicator TEXT NOT NULL,
            unit_code TEXT NOT NULL,
            old_value,
            new_value,
            at TEXT NOT NULL,
            who TEXT NOT NULL
        )""",
        "CREATE INDEX audit_report ON audit(report_id)",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)",
    ]
    for sql in statements:
        db.execute(sql)


@migrations()
def m002_warning_reasons(db: Database) -> None:
    # A warning answered in writing: the finding's rule and cell, and why the
    # figure stands. Kept even if the warning goes away, so it is there if it returns.
    db.execute(
        """CREATE TABLE warning_reasons (
            report_id INTEGER NOT NULL REFERENCES reports(id),
            rule TEXT NOT NULL,
            indicator TEXT NOT NULL,
            unit_code TEXT NOT NULL REFERENCES units(code),
            reason TEXT NOT NULL,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            PRIMARY KEY (report_id, rule, indicator, unit_code)
        )"""
    )


@migrations()
def m003_keys_and_packets(db: Database) -> None:
    # A unit's signing keys: the private half only ever encrypted with the
    # officer's passphrase. A replaced key stays, so packets it signed still
    # name a key the program knows.
    db.execute(
        """CREATE TABLE signing_keys (
            fingerprint TEXT PRIMARY KEY,
            unit_code TEXT NOT NULL REFERENCES units(code),
            public_pem TEXT NOT NULL,
            private_pem TEXT NOT NULL,
            holder_name TEXT NOT NULL,
            holder_title TEXT NOT NULL,
            created_at TEXT NOT NULL,
            replaced_at TEXT,
            replaced_by TEXT REFERENCES signing_keys(fingerprint),
            demo INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE INDEX signing_keys_unit ON signing_keys(unit_code)")
    # Every packet exported: its sequence rises with each export of the same report.
    db.execute(
        """CREATE TABLE packets (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            sequence INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            fingerprint TEXT NOT NULL REFERENCES signing_keys(fingerprint),
            manifest_sha256 TEXT NOT NULL,
            file_name TEXT NOT NULL,
            UNIQUE (report_id, sequence)
        )"""
    )


@migrations()
def m004_inbox(db: Database) -> None:
    # Keys of the units below, enrolled by the upper level after reading the
    # fingerprint back over the phone; trusted for their unit only.
    db.execute(
        """CREATE TABLE trusted_keys (
            fingerprint TEXT NOT NULL,
            unit_code TEXT NOT NULL REFERENCES units(code),
            public_pem TEXT NOT NULL,
            holder_name TEXT NOT NULL,
            holder_title TEXT NOT NULL,
            created_at TEXT NOT NULL,
            replaced_at TEXT,
            enrolled_at TEXT NOT NULL,
            enrolled_by TEXT NOT NULL,
            PRIMARY KEY (fingerprint, unit_code)
        )"""
    )
    # Every packet received, whole, with how it was filed. The same file twice
    # is one row (file_sha256); a refused one keeps its reason.
    db.execute(
        """CREATE TABLE received_packets (
            id INTEGER PRIMARY KEY,
            file_sha256 TEXT NOT NULL UNIQUE,
            file_name TEXT NOT NULL,
            received_at TEXT NOT NULL,
            received_by TEXT NOT NULL,
            unit_code TEXT,
            form_id TEXT,
            form_version INTEGER,
            period_code TEXT,
            sequence INTEGER,
            created_at TEXT,
            signer_fingerprint TEXT,
            content_sha256 TEXT,
            status TEXT NOT NULL,
            reason TEXT,
            manifest TEXT,
            packet BLOB,
            decided_at TEXT,
            decided_by TEXT,
            decision TEXT
        )"""
    )
    db.execute("CREATE INDEX received_report ON received_packets(unit_code, form_id, period_code)")
    # The figures of every verified packet, as its so-lieu.json gives them:
    # the commune's own cells (unit_code = the commune) and its villages'.
    db.execute(
        """CREATE TABLE received_values (
            packet_id INTEGER NOT NULL REFERENCES received_packets(id),
            indicator TEXT NOT NULL,
            unit_code TEXT NOT NULL,
            value NOT NULL,
            PRIMARY KEY (packet_id, indicator, unit_code)
        )"""
    )
    # What the upper level collects: a form for a period, with its deadline.
    db.execute(
        """CREATE TABLE collections (
            form_id TEXT NOT NULL,
            period_code TEXT NOT NULL,
            deadline TEXT,
            opened_at TEXT NOT NULL,
            PRIMARY KEY (form_id, period_code)
        )"""
    )


@migrations()
def m005_receipts_and_merged(db: Database) -> None:
    # A merged packet from a district or province carries summed figures with
    # their denominators; a commune's packet leaves ``total`` empty.
    db.execute("ALTER TABLE received_values ADD COLUMN total")
    # Upper level: each receipt or return issued for a received packet.
    db.execute(
        """CREATE TABLE issued_receipts (
            id INTEGER PRIMARY KEY,
            packet_id INTEGER NOT NULL REFERENCES received_packets(id),
            kind TEXT NOT NULL,
            note TEXT NOT NULL,
            cells TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            issued_by TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            file_name TEXT NOT NULL,
            receipt_sha256 TEXT NOT NULL
        )"""
    )
    # Commune side: receipts and returns imported for the packets it sent.
    db.execute(
        """CREATE TABLE receipts (
            id INTEGER PRIMARY KEY,
            packet_id INTEGER NOT NULL REFERENCES packets(id),
            kind TEXT NOT NULL,
            note TEXT NOT NULL,
            cells TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            issuer_code TEXT NOT NULL,
            issuer_name TEXT NOT NULL,
            signer_name TEXT NOT NULL,
            signer_fingerprint TEXT NOT NULL,
            trusted INTEGER NOT NULL,
            receipt_sha256 TEXT NOT NULL UNIQUE,
            imported_at TEXT NOT NULL
        )"""
    )


@migrations()
def m006_packet_values_fingerprint(db: Database) -> None:
    # The fingerprint of a report's values when its packet was signed: a printed
    # page names the packet only while the figures are still the ones it holds.
    db.execute("ALTER TABLE packets ADD COLUMN values_sha256 TEXT")


@migrations()
def m007_packets_checked_again(db: Database) -> None:
    # What the upper level found when it ran the form's rules on a packet's
    # figures itself (a JSON list; error_count the errors among them), and the
    # villages the packet listed (JSON [[code, name, active], ...]), against
    # which the next packet of that commune is compared.
    db.execute("ALTER TABLE received_packets ADD COLUMN findings TEXT")
    db.execute("ALTER TABLE received_packets ADD COLUMN error_count INTEGER")
    db.execute("ALTER TABLE received_packets ADD COLUMN villages TEXT")
    # A key stops being trusted for new packets when the unit's next key is
    # enrolled: the moment is this machine's clock, never the sender's date.
    db.execute("ALTER TABLE trusted_keys ADD COLUMN retired_at TEXT")
    db.execute("ALTER TABLE trusted_keys ADD COLUMN retired_for TEXT")


@migrations()
def m008_manifest_sha256(db: Database) -> None:
    # The SHA-256 of each stored packet's manifest.json, whose first digits are the packet's code
    # (“mã gói”) on its paper copy: kept, so listing the inbox unzips no packet. Filled for the packets
    # already stored, one at a time (a province holds thousands, hundreds of MB of them).
    from models.tables.inbox import manifest_sha256_of

    db.execute("ALTER TABLE received_packets ADD COLUMN manifest_sha256 TEXT")
    # Everything ``inbox list`` reads, in its order: the listing never walks the rows, whose columns
    # after the stored file can only be reached through that file's overflow pages (87 ms → 5 ms at 3,321).
    db.execute(
        "CREATE INDEX received_listing ON received_packets(unit_code, form_id, period_code, sequence, id, "
        "file_name, received_at, status, reason, decision, error_count, findings, manifest_sha256)"
    )
    ids = [row[0] for row in db.execute("SELECT id FROM received_packets WHERE packet IS NOT NULL ORDER BY id")]
    for packet_id in ids:
        raw = db.execute("SELECT packet FROM received_packets WHERE id = ?", [packet_id]).fetchone()[0]
        digest = manifest_sha256_of(raw)
        if digest is not None:
            db.execute("UPDATE received_packets SET manifest_sha256 = ? WHERE id = ?", [digest, packet_id])


@migrations()
def m009_packets_beside_figures_as_json(db: Database) -> None:
    # The packet files leave the database for a folder beside it (models/packet_store.py): ~88 KB
    # each, three quarters of a province's database, rewritten by every backup and read by every
    # check. Each row keeps its file's SHA-256 (file_sha256) and whether the file is kept.
    # A packet's figures become one row of JSON instead of ~290 rows: ``cells`` {unit code:
    # {indicator: value}}, ``totals`` {indicator: denominator} of a merged packet, and ``figures``
    # the unit's figures as this level evaluated them with form version ``form_version``
    # ({indicator: [value, denominator, percent, typed, applicable]}), which the merge adds up
    # without evaluating each packet again. Packets moved here have no ``figures`` yet: the merge
    # evaluates those from their cells.
    import itertools
    import json

    from models.packet_store import PacketStore, packet_folder

    db.execute("ALTER TABLE received_packets ADD COLUMN file_kept INTEGER NOT NULL DEFAULT 0")
    db.execute(
        """CREATE TABLE received_figures (
            packet_id INTEGER PRIMARY KEY REFERENCES received_packets(id),
            cells TEXT NOT NULL,
            totals TEXT,
            form_version INTEGER,
            figures TEXT
        )"""
    )
    path = next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main")
    store = PacketStore(packet_folder(path))
    ids = [row[0] for row in db.execute("SELECT id FROM received_packets WHERE packet IS NOT NULL ORDER BY id")]
    for packet_id in ids:  # one at a time: a province holds hundreds of MB of them
        raw, digest = db.execute(
            "SELECT packet, file_sha256 FROM received_packets WHERE id = ?", [packet_id]
        ).fetchone()
        store.put(raw, digest)
        db.execute("UPDATE received_packets SET packet = NULL, file_kept = 1 WHERE id = ?", [packet_id])
    store.flush()  # every file on the disk before the rows stop holding them
    # Packet by packet, so a province's million figures are never in memory at once.
    rows = db.conn.execute(
        "SELECT packet_id, indicator, unit_code, value, total FROM received_values ORDER BY packet_id"
    )
    for packet_id, group in itertools.groupby(rows, key=lambda row: row[0]):
        cells: dict[str, dict] = {}
        totals: dict[str, object] = {}
        for _, indicator, unit_code, value, total in group:
            cells.setdefault(unit_code, {})[indicator] = value
            if total is not None:
                totals[indicator] = total
        db.execute(
            "INSERT INTO received_figures (packet_id, cells, totals) VALUES (?, ?, ?)",
            [packet_id, json.dumps(cells, ensure_ascii=False), json.dumps(totals) if totals else None],
        )
    db.execute("DROP TABLE received_values")


@migrations()
def m010_sent_packet_page(db: Database) -> None:
    # The page a packet was signed with (its manifest's "page": bodies, number, date, signer), kept
    # with the row of each packet exported: a reprint of a report already sent is headed as it was
    # signed, not by today's body. Packets exported before have none and reprint by their day.
    db.execute("ALTER TABLE packets ADD COLUMN page TEXT")


@migrations()
def m011_forms_kept_here(db: Database) -> None:
    # Forms that are not shipped with the program: written in Excel and imported at this level, or
    # published by the level above. Kept as data (forms/definition_data.py), read back through every
    # check a definition file passes. A version is (form_id, publisher, version): the publisher is the
    # unit that issued it, so a province's version 2 never clashes with a release's (publisher '').
    db.execute(
        """CREATE TABLE forms (
            form_id TEXT NOT NULL,
            publisher TEXT NOT NULL,
            version INTEGER NOT NULL,
            definition TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            origin TEXT NOT NULL,
            stored_at TEXT NOT NULL,
            stored_by TEXT NOT NULL,
            PRIMARY KEY (form_id, publisher, version)
        )"""
    )
    # Which publisher's version a report was filled with, and a received packet names.
    db.execute("ALTER TABLE reports ADD COLUMN form_publisher TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE received_packets ADD COLUMN form_publisher TEXT NOT NULL DEFAULT ''")


@migrations()
def m012_publications(db: Database) -> None:
    # What the upper level sends down signed (exports/publications/): a form version it published, or
    # a collection notice (a form, a period, a deadline). A collection it announces is the same row of
    # ``collections`` the inbox files against, now naming the form version asked for.
    db.execute("ALTER TABLE collections ADD COLUMN form_publisher TEXT")
    db.execute("ALTER TABLE collections ADD COLUMN form_version INTEGER")
    # Upper level: every publication it signed.
    db.execute(
        """CREATE TABLE issued_publications (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            form_id TEXT NOT NULL,
            form_publisher TEXT NOT NULL,
            form_version INTEGER NOT NULL,
            period_code TEXT,
            deadline TEXT,
            note TEXT,
            issued_at TEXT NOT NULL,
            issued_by TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            file_name TEXT NOT NULL,
            file_sha256 TEXT NOT NULL
        )"""
    )
    # Commune: every publication it imported, by the SHA-256 of the file. ``status`` applied (its form
    # kept, its notice a to-do), held (its signer's key not enrolled yet: applied when it is), older (a
    # notice older than one already applied, kept for the record) or refused (applied after enrolment
    # and refused then, with ``reason``). ``manifest`` is the signed JSON itself.
    db.execute(
        """CREATE TABLE received_publications (
            file_sha256 TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            issuer_code TEXT NOT NULL,
            issuer_name TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            signer_fingerprint TEXT NOT NULL,
            form_id TEXT NOT NULL,
            form_publisher TEXT NOT NULL,
            form_version INTEGER NOT NULL,
            period_code TEXT,
            deadline TEXT,
            note TEXT,
            manifest TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            imported_at TEXT NOT NULL,
            imported_by TEXT NOT NULL
        )"""
    )


@migrations()
def m013_target_sets(db: Database) -> None:
    # Target sets a level sets for itself (models/target_store.py), beside those written in a form's
    # file: one row per version of a set, each whole (its targets as JSON), with the day it applies from.
    # A set is (form_id, owner, set_id): the owner is the unit that set it (tier: its level, which decides
    # whether a count such as “03 xã” applies to one unit); a new version keeps its id.
    db.execute(
        """CREATE TABLE target_sets (
            form_id TEXT NOT NULL,
            owner TEXT NOT NULL,
            set_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            tier TEXT NOT NULL,
            name TEXT NOT NULL,
            source_number TEXT NOT NULL,
            source_date TEXT NOT NULL,
            starts TEXT NOT NULL,
            targets TEXT NOT NULL,
            stored_at TEXT NOT NULL,
            stored_by TEXT NOT NULL,
            PRIMARY KEY (form_id, owner, set_id, version)
        )"""
    )


@migrations()
def m014_reopenings_name_their_unit(db: Database) -> None:
    # A reopening the upper level signs names one unit's report: kept here so that a later sequence of a
    # report it received is held unless it reopened that report after the receipt (exports/collect/admission.py).
    db.execute("ALTER TABLE issued_publications ADD COLUMN unit_code TEXT")


@migrations()
def m015_double_entry(db: Database) -> None:
    # Commune: a report typed twice (models/double_entry.py). One row per report that was: its state
    # (dang_nhap_lan_hai, dang_doi_chieu, da_doi_chieu), whether its form required it, who typed each pass,
    # when the second pass began and ended and the comparison was done, the differences found and resolved.
    db.execute(
        """CREATE TABLE double_entries (
            report_id INTEGER PRIMARY KEY REFERENCES reports(id),
            state TEXT NOT NULL,
            required INTEGER NOT NULL,
            started_by TEXT NOT NULL,
            first_by TEXT NOT NULL,
            second_by TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            done_at TEXT,
            differences INTEGER NOT NULL DEFAULT 0,
            resolved INTEGER NOT NULL DEFAULT 0
        )"""
    )
    # The figures of the second pass, typed blind; they never enter cell_values themselves. Both tables keyed
    # by their cell are WITHOUT ROWID: the key is the table, no second index beside it.
    db.execute(
        """CREATE TABLE double_entry_values (
            report_id INTEGER NOT NULL REFERENCES reports(id),
            indicator TEXT NOT NULL,
            unit_code TEXT NOT NULL,
            value NOT NULL,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            PRIMARY KEY (report_id, indicator, unit_code)
        ) WITHOUT ROWID"""
    )
    # Each cell where the passes differed, as found when the second pass ended (a value NULL: that pass left
    # it empty), and the decision: choice lan_1, lan_2 or so_khac, the value kept, when and by whom.
    db.execute(
        """CREATE TABLE double_entry_differences (
            report_id INTEGER NOT NULL REFERENCES reports(id),
            indicator TEXT NOT NULL,
            unit_code TEXT NOT NULL,
            first_value,
            second_value,
            choice TEXT,
            chosen_value,
            decided_at TEXT,
            decided_by TEXT,
            PRIMARY KEY (report_id, indicator, unit_code)
        ) WITHOUT ROWID"""
    )


@migrations()
def m017_carried_cells(db: Database) -> None:
    # The cells a new period took from the last one (models/carry_forward.py): the value carried, the
    # period it came from, when and by whom. ``confirmed_at`` stays empty until the officer confirms it
    # or types over it (Gateway.set_values); until then the cell counts as empty when signing.
    db.execute(
        """CREATE TABLE carried_cells (
            report_id INTEGER NOT NULL REFERENCES reports(id),
            indicator TEXT NOT NULL,
            unit_code TEXT NOT NULL REFERENCES units(code),
            from_period TEXT NOT NULL,
            value NOT NULL,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            confirmed_at TEXT,
            confirmed_by TEXT,
            PRIMARY KEY (report_id, indicator, unit_code)
        )"""
    )
