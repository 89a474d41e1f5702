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

from forms.definition_data import form_data
from forms.library import FormLibrary, default_library
from forms.loader import FormErrors, form_from_data
from forms.schema import FormDef
from forms.versions import meaning_changes, version_words
from models.errors import BadInput
from models.gateway import Gateway
from models.tables.forms import StoredForm
from models.vocabulary import FormOrigin

_libraries: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # gateway -> (fingerprint, library)


def library_of(gw: Gateway) -> FormLibrary:
    """The program's forms and every version this database keeps."""
    fingerprint = gw.forms.fingerprint()
    cached = _libraries.get(gw)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    if fingerprint[0] == 0:
        library = default_library()
    else:
        library = FormLibrary([*default_library().versions(), *(stored_definition(s) for s in gw.forms.all())])
    _libraries[gw] = (fingerprint, library)
    return library


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
            raise BadInput(
                f"{version_words(form)} đổi nghĩa chỉ tiêu đã có (mỗi mã chỉ tiêu giữ một nghĩa qua mọi phiên "
                "bản; hãy đặt mã mới cho chỉ tiêu mới): " + "; ".join(changes)
            )
    kept, new = gw.forms.add(form_data(form), origin, who)
    return replace(stored_definition(kept), path=form.path), new
