"""Small documents built in code for reader tests (no shared text copied)."""

from __future__ import annotations

import io


def text_pdf(lines: list[str], title: str | None = None) -> bytes:
    """A one-page PDF with a real text layer, written by hand (pypdf cannot draw text)."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    info = f"<< /Title ({title}) >>" if title else "<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        info.encode("latin-1"),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


ARTICLE_HTML = """<!doctype html><html><head><title>Council approves new library | Valley Gazette</title>
<meta name="author" content="Ada Lind"><meta property="og:site_name" content="Valley Gazette">
<link rel="canonical" href="https://gazette.example/library">
<meta property="article:published_time" content="2026-01-15"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council approves new library</h1>
<p>The town council voted on Tuesday to build a new public library on the site of the old bus depot,
after a debate that lasted more than four hours.</p>
<p>"Books are the cheapest way to build a better town," councillor Ray Dunn said after the vote.</p>
<p>Construction is expected to start next spring and to take about two years to complete.</p>
</article><footer>Copyright Valley Gazette. All rights reserved.</footer></body></html>"""
