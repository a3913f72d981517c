"""A gazette issue's PDF -> its text in the PDF-text form that `readers/pdftext.py` reads.

`extract(data, name)` reads the PDF's text layer with PDFium (pypdfium2) from the characters'
positions, not from the order a producer happened to write them in. Guarantees on the text:
- every page begins with one form feed, and no line begins with a space (the reader takes a line
  indented by one space for a page start);
- a page's running head comes first, as two lines: the header (the category, e.g. 市政府文件) and
  the folio with the running title most pages repeat (`连云港市人民政府公报 7`, or the bare number
  `7`, `— 7 —`). A running head is the first or last row of a page, in its margin band, whose text
  repeats at the same place on other pages or whose number follows the page order; set apart from
  the body (a rule, a wider gap) two pages suffice, else it must repeat on many; a row set apart
  where other pages' running heads stand is one too (a category printed on one page only). Running
  text on a page without a folio is left out;
- the body follows in reading order: rows top to bottom; a two-column page (the chronicle) is read
  column by column, a row that crosses the gutter (a centred title) closing the columns above it;
  text set turned (a wide table across a portrait page) follows, read in its own direction;
- characters of one row are joined as printed: no space between adjacent characters, spaces for a
  gap wider than the line's usual spacing; a row inside a ruled table is its cells, tab-separated,
  a cell's text wrapped within the same rules joining its row (one line per printed row);
- CJK compatibility ideographs (U+F900–FAFF) and Kangxi radicals (U+2F00–2FDF), which PDF fonts often
  map characters to, are replaced by their unified characters (NFKC on those ranges only);
- the same PDF gives byte-identical text, so its SHA-256 stands for the text filed.
A PDF that needs a password, is damaged, or has no text layer (a scan) is refused with a
ConversionError of one sentence naming the file.

Each page is read by pdf_page.py (characters in rows, rules), its running head found by
pdf_running_heads.py and its body set in lines by pdf_body.py; this module puts the pages' text together.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .model import ConversionError
from .pdf_body import body_lines
from .pdf_page import Page, read_page
from .pdf_running_heads import find_running_heads

PDF_MAGIC = b"%PDF-"
SCANNED_SHARE = 0.5  # refused when more than this share of pages has no text


def is_pdf(data: bytes) -> bool:
    """PDF readers accept the header anywhere in the first KB (some files start with junk)."""
    return PDF_MAGIC in data[:1024]


@dataclass(frozen=True)
class Extracted:
    text: str
    pages: int
    sha256: str


def extract(data: bytes, name: str) -> Extracted:
    """The PDF's text in the PDF-text form; ConversionError (one sentence) when it cannot be read."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise ConversionError(f"{name} is an encrypted PDF that needs a password to open; "
                                  f"add the unprotected PDF.") from None
        raise ConversionError(f"{name} is a damaged PDF that cannot be read ({_reason(exc)}); "
                              f"download it again.") from None
    try:
        pages = [read_page(pdf[i]) for i in range(len(pdf))]
    except pdfium.PdfiumError as exc:
        raise ConversionError(f"{name} is a damaged PDF: a page cannot be read ({_reason(exc)}); "
                              f"download it again.") from None
    finally:
        pdf.close()
    if not pages:
        raise ConversionError(f"{name} is a PDF without pages.")
    textless = sum(1 for p in pages if not p.rows and not p.turned)
    if textless > SCANNED_SHARE * len(pages):
        raise ConversionError(f"{name} has no text layer on {textless} of its {len(pages)} pages: it is a scanned "
                              f"PDF, and OCR is not supported (add a PDF with a text layer).")
    find_running_heads(pages)
    text = "".join(_page_text(p) for p in pages)
    return Extracted(text=text, pages=len(pages), sha256=hashlib.sha256(data).hexdigest())


def _reason(exc: Exception) -> str:
    """PDFium's own words (`Failed to load document (PDFium: Data format error).` -> data format error)."""
    m = re.search(r"PDFium: ([^)]*)", str(exc))
    return (m[1] if m else str(exc).rstrip(".")).lower()


def _page_text(page: Page) -> str:
    lines: list[str] = []
    if page.head:
        header, folio = page.head
        if header:
            lines.append(" ".join(header))
        lines.append(" ".join(folio))
    lines += body_lines(page)
    for turned in page.turned:
        lines += body_lines(turned)
    return "\f" + "\n".join(lines) + "\n"

