"""The forms a database knows: those shipped with the program and the versions
it keeps (written in Excel here, or published by the level above).

``library_of`` is the one library every screen and command of a database
asks; it is read again only when a form was stored since. ``store_form``
keeps a new version after the checks every version passes: it names its
publisher, its number is its own, and no indicator id changes its meaning
against any version known here, shipped or stored.
"""

from __future__ import annotations

import weakref
from dataclasses import replace
from functools import partial

from forms.definition_data import form_data
from forms.library import FormLibrary, default_library
from forms.loader import FormErrors, form_from_data
from forms.schema import FormDef
from forms.versions import meaning_changes, version_words
from models.errors import BadInput
from models.gateway import Gateway
from models.tables.forms import StoredForm
from models.target_store import with_target_sets
from models.vocabulary import FormOrigin


class FormVersionRefused(BadInput):
    """A version that may not be kept as it is: its content is at fault (exit code 1), not the command."""

    exit_code = 1


_libraries: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # gateway -> (fingerprint, library)


def library_of(gw: Gateway) -> FormLibrary:
    """The program's forms and every version this database keeps, each with the target sets kept here
    for its id beside those of its file (models/target_store.py)."""
    fingerprint = (gw.forms.fingerprint(), gw.target_sets.fingerprint())
    cached = _libraries.get(gw)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    if fingerprint[0][0] == 0 and fingerprint[1][0] == 0:
        library = default_library()
    else:
        sets = gw.target_sets.all()
        shipped = {f.key: partial(_with_sets, f, sets) for f in default_library().versions()}
        kept = {s.key: partial(_kept_with_sets, s, sets) for s in gw.forms.all()}
        library = FormLibrary([], {**shipped, **kept})  # each version read when first asked for
    _libraries[gw] = (fingerprint, library)
    return library


def _with_sets(form: FormDef, sets) -> FormDef:
    return with_target_sets([form], sets)[0]


def _kept_with_sets(stored: StoredForm, sets) -> FormDef:
    return _with_sets(stored_definition(stored), sets)


def stored_definition(stored: StoredForm) -> FormDef:
    """A kept version, read back through the loader's checks (a damaged row is said, not used)."""
    name = f"biểu {stored.form_id} phiên bản {stored.version} đơn vị {stored.publisher}"
    try:
        return form_from_data(stored.definition, name)
    except FormErrors as exc:
        raise BadInput(f"Biểu lưu trong cơ sở dữ liệu bị hỏng: {exc.errors[0]}") from None


def store_form(gw: Gateway, form: FormDef, origin: FormOrigin, who: str) -> tuple[FormDef, bool]:
    """Keep ``form`` (its ``publisher`` set) as a version of this database; (the form as kept, whether it is
    new). Refused with the reason, nothing kept: a form without a publisher, a number already used for
    other content, a change of an indicator's meaning against any known version."""
    if not form.publisher:
        raise BadInput(f"{version_words(form)}: thiếu đơn vị ban hành; biểu kèm theo chương trình không nhập lại được")
    known = library_of(gw)
    shipped = default_library().get(form.id, form.version, form.publisher)
    if shipped is not None:
        raise BadInput(f"{version_words(form)} đã có sẵn trong chương trình")
    for other in known.versions():
        changes = meaning_changes(other, form) if other.id == form.id and other.key != form.key else []
        if changes:
            raise FormVersionRefused(
                f"{version_words(form)} đổi nghĩa chỉ tiêu đã có (mỗi mã chỉ tiêu giữ một nghĩa qua mọi phiên "
                "bản; hãy đặt mã mới cho chỉ tiêu mới): " + "; ".join(changes)
            )
    try:
        kept, new = gw.forms.add(form_data(form), origin, who)
    except BadInput as exc:  # the number already kept, with other content
        raise FormVersionRefused(str(exc)) from None
    return replace(stored_definition(kept), path=form.path), new


def import_authored_form(gw: Gateway, form: FormDef, who: str) -> tuple[FormDef, bool]:
    """A form written in Excel at this level, kept as this unit's version of it (this unit its publisher,
    whatever the workbook says); (the form as kept, whether it is new)."""
    home = gw.setting("home_unit")
    if not home:
        raise BadInput("Cơ sở dữ liệu này chưa thiết lập đơn vị: chưa lưu được biểu mẫu của đơn vị.")
    return store_form(gw, replace(form, publisher=home), FormOrigin.AUTHORED, who)


def find_form(
    library: FormLibrary, form_id: str, version: int | None, publisher: str | None, home: str = ""
) -> FormDef:
    """The version of a form a command names: with no publisher, this unit's own version if it made one,
    else the program's, else another unit's; the latest unless ``version`` says which."""
    candidates = [f for f in library.versions() if f.id == form_id and version in (None, f.version)]
    if publisher is not None:
        candidates = [f for f in candidates if f.publisher == publisher]
    if not candidates:
        known = ", ".join(sorted({f.id for f in library.versions()}))
        asked = f"biểu “{form_id}”" + (f" phiên bản {version}" if version else "")
        raise BadInput(f"Không có {asked}" + (f" của đơn vị {publisher}" if publisher else "") + f" (có: {known}).")
    preference = {home: 0, "": 1} if home else {"": 1}
    return min(candidates, key=lambda f: (preference.get(f.publisher, 2), -f.version))


def version_in_use(gw: Gateway, form_id: str) -> FormDef | None:
    """The version of a form this unit fills a new report with: the latest issued by a unit above it (its
    province's version 2 before the program's own), else the program's latest; None for an unknown id."""
    library = library_of(gw)
    above, code = [], gw.setting("home_unit")
    while code and (unit := gw.unit(code)) is not None and unit.parent_code:
        above.append(unit.parent_code)
        code = unit.parent_code
    for publisher in above:  # the nearest level that issued one
        issued = library.get(form_id, None, publisher)
        if issued is not None:
            return issued
    return library.get(form_id)
