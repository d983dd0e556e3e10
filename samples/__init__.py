"""Sample dossiers with known content, for the demo, the tests and the OCR benchmarks.

Everything is deterministic in a seed: ``render_document`` draws a Vietnamese administrative
document at 300 dpi and returns its pages with the exact text drawn and the field values printed;
``degrade`` and ``scan`` add scanner defects; the ``save_*`` functions write the files scanners
deliver; ``write_sample_dossiers`` puts it all together as dossier folders with a ground-truth
``dossier.json``. ``python -m samples OUT_DIR`` writes a set from the command line.
"""

from __future__ import annotations

from samples.degrade import DEGRADATIONS, degrade, scan
from samples.dossiers import write_sample_dossiers
from samples.files import save_jpeg, save_pdf, save_png, save_tiff
from samples.layout import RenderedPage
from samples.render import DOCUMENT_KINDS, RenderedDocument, render_document

__all__ = [
    "DEGRADATIONS",
    "DOCUMENT_KINDS",
    "RenderedDocument",
    "RenderedPage",
    "degrade",
    "render_document",
    "save_jpeg",
    "save_pdf",
    "save_png",
    "save_tiff",
    "scan",
    "write_sample_dossiers",
]
