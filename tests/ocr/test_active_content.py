"""The searchable copy carries none of the input's scripts, active actions or attachments."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pdf_originals import draw_page, image_pdf, searchable
from pikepdf import Array, Dictionary, Name, String

from ocr.searchable_pdf import PageLayer

SCRIPT = Dictionary(S=Name.JavaScript, JS=String("app.alert('hi')"))


def hostile(path: Path) -> Path:
    """A scanned page wrapped in every kind of active content a PDF can carry."""
    page, _ = draw_page()
    original = image_pdf(path, [page])
    with pikepdf.open(original, allow_overwriting_input=True) as pdf:
        pdf.Root.OpenAction = SCRIPT
        attachment = pdf.make_stream(b"MZ not a scan")
        spec = Dictionary(Type=Name.Filespec, F=String("run.exe"), EF=Dictionary(F=attachment))
        pdf.Root.Names = Dictionary(
            JavaScript=Dictionary(Names=Array([String("a"), SCRIPT])),
            EmbeddedFiles=Dictionary(Names=Array([String("run.exe"), spec])),
        )
        launch = Dictionary(S=Name.Launch, F=String("cmd.exe"))
        pdf.pages[0].obj.AA = Dictionary(O=launch)
        box = Array([0, 0, 10, 10])
        pdf.pages[0].obj.Annots = Array([
            pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=box, A=SCRIPT)),
            pdf.make_indirect(Dictionary(
                Type=Name.Annot, Subtype=Name.Link, Rect=box,
                A=Dictionary(S=Name.URI, URI=String("https://dichvucong.gov.vn")),
            )),
            pdf.make_indirect(Dictionary(
                Type=Name.Annot, Subtype=Name.FileAttachment, Rect=box, FS=spec
            )),
        ])  # fmt: skip
        pdf.save(original)
    return original


def test_the_searchable_copy_has_no_scripts_actions_or_attachments(tmp_path: Path) -> None:
    original = hostile(tmp_path / "scan.pdf")
    _, text = draw_page()
    out = searchable(original, "application/pdf", [PageLayer(text, 0)], [300])
    with pikepdf.open(out) as pdf:
        assert "/OpenAction" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.Names and "/EmbeddedFiles" not in pdf.Root.Names
        page = pdf.pages[0].obj
        assert "/AA" not in page
        links = [annotation for annotation in page.Annots]
        assert [str(link.Subtype) for link in links] == ["/Link", "/Link"]
        assert "/A" not in links[0]
        assert links[1].A.S == Name.URI  # a link to a web address is no active content
    with pikepdf.open(original) as kept:  # the original is untouched
        assert "/OpenAction" in kept.Root
