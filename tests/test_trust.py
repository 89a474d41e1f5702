"""The keys a database already trusts for a unit, as the enrolment dialogs warn
of them: the province demo's keys of its communes, a commune's key of its
province. Real databases, real key files."""

from __future__ import annotations

import pytest

from exports.collect.trust import enrol, keys_on_file, other_keys_on_file
from exports.packets.enrolment import read_enrolment, write_enrolment
from models.demo import KEY_HOLDERS
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, create_unit_key, key_in_use

WHO = "kiem-thu"


@pytest.fixture
def province(upper_path):
    gw = Gateway.open(upper_path)
    yield gw
    gw.close()


def key_file(gw, unit_code, folder, name="khoa.sctk"):
    return read_enrolment(write_enrolment(key_in_use(gw, unit_code), gw.require_unit(unit_code), folder / name))


def test_the_province_has_each_demo_communes_key_on_file(province, demo_db, tmp_path):
    (on_file,) = keys_on_file(province, "03445")
    commune_key = key_in_use(demo_db, "03445")
    assert (on_file.fingerprint, on_file.spoken) == (commune_key.fingerprint, commune_key.spoken)
    assert on_file.holder_name == KEY_HOLDERS["03445"] and on_file.enrolled_at
    assert keys_on_file(province, "03390") == []  # Bình Lư has no key in the demo
    assert other_keys_on_file(province, key_file(demo_db, "03445", tmp_path)) == []  # the same key again


def test_a_new_key_for_a_commune_names_the_one_it_replaces(province, demo_db, tmp_path):
    create_unit_key(demo_db, "03445", DEMO_PASSPHRASE, "Lò Văn Mới", "Phó Chủ tịch", replace=True)
    new = key_file(demo_db, "03445", tmp_path, "moi.sctk")
    (old,) = other_keys_on_file(province, new)
    assert old.holder_name == KEY_HOLDERS["03445"] and old.fingerprint != new.fingerprint
    enrol(province, new, WHO)
    assert [k.holder_name for k in keys_on_file(province, "03445")] == ["Lò Văn Mới", KEY_HOLDERS["03445"]]


def test_a_commune_keeps_its_provinces_key(province, demo_db, tmp_path):
    assert keys_on_file(demo_db, "12") == []
    enrolled = enrol(demo_db, key_file(province, "12", tmp_path), WHO)
    assert enrolled.new and enrolled.receipts_checked == 0
    (on_file,) = keys_on_file(demo_db, "12")
    assert on_file.spoken == key_in_use(province, "12").spoken
