"""Taking a PDF's active content out of the copy we serve: scripts, actions and attachments.

The searchable PDF keeps the original's pages byte for byte, and with them whatever the sender
put in: JavaScript run on opening (``/OpenAction``, the ``/Names`` tree's ``/JavaScript``),
actions on pages, annotations and form fields (``/AA``, ``/A`` that launch programs, submit
forms or run scripts), embedded files. None of it is part of a scan and a reader of our copy
must not run it, so it is removed from the copy; the original stays as uploaded under
``originals/``. Links to a place in the document or to a web address are kept.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Name

_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/Rendition",
     "/GoToE", "/RichMediaExecute", "/Sound", "/Movie"}
)  # fmt: skip
"""Action types that run something or send something; /GoTo and /URI links are kept."""


def remove_active_content(pdf: pikepdf.Pdf) -> int:
    """Remove scripts, active actions and embedded files from ``pdf``; returns how many were
    removed, for the log."""
    root = pdf.Root
    removed = _drop(root, "/OpenAction", "/AA")
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        removed += _drop(names, "/JavaScript", "/EmbeddedFiles")
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary):
        for field in form.get("/Fields", pikepdf.Array()):
            removed += _without_actions(field)
    for page in pdf.pages:
        removed += _without_actions(page.obj)
        annotations = page.obj.get("/Annots")
        if isinstance(annotations, pikepdf.Array):
            kept = pikepdf.Array()
            for annotation in annotations:
                if annotation.get("/Subtype") == Name.FileAttachment:
                    removed += 1
                    continue
                removed += _without_actions(annotation)
                kept.append(annotation)
            page.obj.Annots = kept
    return removed


def _without_actions(obj: pikepdf.Object) -> int:
    """Drop ``obj``'s additional actions and its action if that one is active."""
    if not isinstance(obj, pikepdf.Dictionary):
        return 0
    removed = _drop(obj, "/AA")
    action = obj.get("/A")
    if isinstance(action, pikepdf.Dictionary) and str(action.get("/S")) in _ACTIVE_ACTIONS:
        del obj["/A"]
        removed += 1
    return removed


def _drop(dictionary: pikepdf.Object, *keys: str) -> int:
    """Delete ``keys`` from ``dictionary``; returns how many were there."""
    present = [key for key in keys if key in dictionary]
    for key in present:
        del dictionary[key]
    return len(present)
