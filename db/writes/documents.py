"""Uploading documents (terms of reference, minutes, reports, agreements) to a working group,
one of its activities or one of its issues. The file is stored in the database so a backup
holds it. Coordinators upload for their own groups, admins for all.

A file is accepted only when its extension is in db/vocab.DOCUMENT_TYPES, it is not larger
than db/vocab.DOCUMENT_MAX_BYTES, and its first bytes look like that type (a renamed
program is refused)."""
from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any, Optional

from sqlmodel import Field

from db import vocab
from db.engine import session_scope
from db.errors import PermissionDenied, ValidationFailed
from db.models import Activity, CleanText, Document, Issue, hidden_characters_problem
from db.permissions import Action, Actor, authorize, can
from db.vocab import DOCUMENT_MAX_BYTES, DOCUMENT_TYPES, NAME_MAX, TITLE_MAX
from db.writes.base import create_record, linked_in_group, validated
from i18n import _, numbers

# The first bytes each binary type starts with. docx, xlsx and odt are zip archives.
_SIGNATURES = {
    "pdf": (b"%PDF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}
_TEXT_TYPES = ("txt", "csv")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
EXTENSION_ALIASES = {"jpeg": "jpg"}


class DocumentCreate(CleanText):
    group_id: int
    activity_id: Optional[int] = None
    issue_id: Optional[int] = None
    kind: vocab.DocumentKind
    title: str = Field(min_length=3, max_length=TITLE_MAX)


def size_text(size: int) -> str:
    """1536 -> "1.5 KB"."""
    if size < 1024:
        return _("{n} bytes").format(n=size)
    if size < 1024 * 1024:
        return _("{n} KB").format(n=numbers.number(size / 1024, digits=1))
    return _("{n} MB").format(n=numbers.number(size / 1024 / 1024, digits=1))


def allowed_types_text() -> str:
    return ", ".join(ext.upper() for ext in DOCUMENT_TYPES)


def extension_of(filename: str) -> str:
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower().lstrip(".")
    return EXTENSION_ALIASES.get(suffix, suffix)


def safe_filename(filename: str) -> str:
    """The file's own name without any folder or characters a download could trip on."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = _UNSAFE_NAME.sub("_", name).strip(" .") or "document"
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = stem[: NAME_MAX - len(ext) - 1] + dot + ext if dot else name[:NAME_MAX]
    return name


def check_file(filename: str, content: bytes) -> tuple[str, str]:
    """Refuse a file that is empty, too large, of a type not allowed, or whose content does
    not match its extension. Returns (extension, content type)."""
    if problem := hidden_characters_problem(filename, name=True):
        raise ValidationFailed({"file": _("The file's name: {problem}").format(problem=problem)})
    extension = extension_of(filename)
    if extension not in DOCUMENT_TYPES:
        raise ValidationFailed({"file": _("Files of type \"{ext}\" cannot be uploaded. Allowed types: {allowed}.")
                                .format(ext=extension or _("no extension"), allowed=allowed_types_text())})
    if not content:
        raise ValidationFailed({"file": _("The file is empty.")})
    if len(content) > DOCUMENT_MAX_BYTES:
        size, limit = size_text(len(content)), size_text(DOCUMENT_MAX_BYTES)
        if size == limit:  # just over the limit: rounded, the two would read the same
            size, limit = (_("{n} bytes").format(n=numbers.number(n)) for n in (len(content), DOCUMENT_MAX_BYTES))
        raise ValidationFailed({"file": _("The file is {size}; the largest allowed is {limit}.")
                                .format(size=size, limit=limit)})
    if extension in _TEXT_TYPES:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationFailed({"file": _("This file is not plain text (UTF-8). Save it as text or as PDF and try again.")}) from None
        if "\x00" in text:
            raise ValidationFailed({"file": _("This file is not plain text (UTF-8). Save it as text or as PDF and try again.")})
    elif not content.startswith(_SIGNATURES[extension]):
        raise ValidationFailed({"file": _("The content of this file is not a {ext} file, although its name says so. "
                                          "Open it and save it again as {ext}.").format(ext=extension.upper())})
    return extension, DOCUMENT_TYPES[extension]


def add_document(actor: Actor, values: dict[str, Any], filename: str | None, content: bytes | None) -> Document:
    """Store one uploaded file with its kind and title, attached to a group (and optionally to
    one of its activities or issues)."""
    if not can(actor, Action.edit_document):  # refuse the role before judging the input
        raise PermissionDenied(_("Your role may not do this."))
    if values.get("group_id") in (None, ""):
        raise ValidationFailed({"group_id": _("Choose a working group.")})
    authorize(actor, Action.edit_document, group_id=values["group_id"])
    # Report the form's and the file's problems together, so one correction round suffices.
    errors: dict[str, str] = {}
    try:
        document = validated(DocumentCreate, values)
    except ValidationFailed as refused:
        errors.update(refused.errors)
    try:
        if not filename or content is None:
            raise ValidationFailed({"file": _("Choose a file to upload.")})
        _extension, content_type = check_file(filename, content)
    except ValidationFailed as refused:
        errors.update(refused.errors)
    if errors:
        raise ValidationFailed(errors)
    with session_scope() as s:
        if not linked_in_group(s, Activity, document.activity_id, document.group_id):
            raise ValidationFailed({"activity_id": _("Choose an activity of the same working group.")})
        if not linked_in_group(s, Issue, document.issue_id, document.group_id):
            raise ValidationFailed({"issue_id": _("Choose an issue of the same working group.")})
        record = Document(**document.model_dump(), filename=safe_filename(filename),
                          content_type=content_type, size_bytes=len(content), content=content,
                          uploaded_by_user_id=actor.id)
        return create_record(actor, Action.edit_document, record, group_id=document.group_id, session=s)
