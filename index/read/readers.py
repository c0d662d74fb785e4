"""Turn files, folders, URLs and raw bytes into Articles, or into a clear reason why not."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ValidationError

from index.models import Article
from index.read.markdown import plain
from index.read.urls import canonical

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = {".html", ".htm"}
MIN_HTML_WORDS = 15
MAX_HTML_DEPTH = 200
MAX_HTML_ELEMENTS = 200_000
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".jsonl"}


class IngestError(ValueError):
    """Input that cannot become an article; the message says why, in one line."""


class Refusal(BaseModel):
    origin: str
    reason: str


def url_id(url: str) -> str:
    """Articles from links are known by their address (`urls.canonical`: the same page however the link was
    written), so fetching an updated page replaces the old one."""
    return "url-" + hashlib.sha256(canonical(url).encode("utf-8")).hexdigest()[:12]


def read_sources(sources: Iterable[str], max_bytes: int, fetch: object | None = None) -> Iterator[Article | Refusal]:
    """Articles from each source in turn; every failure is yielded as a Refusal, never raised."""
    for source in sources:
        if source.startswith(("http://", "https://")):
            if fetch is None:
                yield Refusal(origin=source, reason="fetching URLs is not enabled here")
                continue
            try:
                doc = fetch(source)  # type: ignore[operator]
                for article in parse_document(doc.data, doc.name, url=doc.url, content_type=doc.content_type):
                    address = canonical(article.url or source)
                    yield article.model_copy(
                        update={"id": article.id or url_id(address), "url": address, "link": source}
                    )
            except IngestError as error:
                yield Refusal(origin=source, reason=str(error))
            continue
        path = Path(source).expanduser()
        if not path.exists():
            yield Refusal(origin=source, reason="no such file or folder")
        elif path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                yield Refusal(origin=source, reason=f"the folder has no {', '.join(sorted(SUPPORTED))} files")
            for file in files:
                yield from _read_file(file, max_bytes)
        else:
            yield from _read_file(path, max_bytes)


def _read_file(path: Path, max_bytes: int) -> Iterator[Article | Refusal]:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(f"the file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        if path.suffix.lower() == ".jsonl":
            yield from read_jsonl(path.read_bytes(), str(path))
            return
        yield from parse_document(path.read_bytes(), path.name)
    except IngestError as error:
        yield Refusal(origin=str(path), reason=str(error))
    except OSError as error:
        yield Refusal(origin=str(path), reason=f"cannot read it: {error.strerror or error}")


def parse_document(data: bytes, name: str, url: str | None = None, content_type: str = "") -> list[Article]:
    """One article from a document's bytes, by its content first and its name second."""
    if not data.strip():
        raise IngestError("the file is empty")
    kind = sniff(data, name, content_type)
    if kind == "pdf":
        return [_pdf_article(data, url)]
    if kind == "html":
        return [_html_article(decode_text(data), url)]
    if kind == "jsonl":
        articles = [a for a in read_jsonl(data, name) if isinstance(a, Article)]
        if not articles:
            raise IngestError("no valid article line in the JSONL file")
        return articles
    return [_text_article(decode_text(data), url, markdown=name.lower().endswith(MARKDOWN_SUFFIXES))]


def sniff(data: bytes, name: str, content_type: str = "") -> str:
    head = data[:2048].lstrip().lower()
    if data.startswith(b"%PDF-") or "application/pdf" in content_type:
        return "pdf"
    if name.lower().endswith(".jsonl"):
        return "jsonl"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or "html" in content_type:
        return "html"
    if name.lower().endswith(tuple(HTML_SUFFIXES)) and head.startswith(b"<"):
        return "html"
    if _looks_binary(data):
        raise IngestError("this is a binary file, not text, HTML or PDF")
    return "text"


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) if it is that, else the encoding charset-normalizer detects."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if _looks_binary(data):
        raise IngestError("this is a binary file, not text")
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise IngestError("the text is in no encoding that could be detected")
    best = matches[0]
    ties = [m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence]
    western = next((m for m in ties if "cp1252" in m.could_be_from_charset), best)
    return str(western)


def _text_article(text: str, url: str | None, markdown: bool = False) -> Article:
    """First line = title. An optional `---` front matter of `key: value` lines gives id, source, date...
    `markdown`: the marks of Markdown are taken out (`index/read/markdown.py`)."""
    fields, text = _front_matter(text.strip())
    if markdown:
        text = plain(text)
    lines = text.strip().splitlines()
    title = lines[0].strip().lstrip("#").strip() if lines else ""
    body = "\n".join(lines[1:]).strip()
    if not body:
        raise IngestError("the file has a title line but no text after it")
    fields.setdefault("url", url)
    try:
        return Article.model_validate({**fields, "title": fields.get("title") or title[:300], "text": body})
    except ValidationError as error:
        raise IngestError(f"bad front matter: {error.errors()[0]['msg']}") from error


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    fields = {}
    for line in text[4:end].splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, text[end + 4 :]


def _html_tree(html: str) -> object:
    """Parse once, refusing pages nested deeper or larger than any article needs (hostile or broken HTML)."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as error:
        raise IngestError(f"the HTML cannot be parsed ({error})") from error
    depth: dict[object, int] = {tree: 1}
    deepest = 1
    for count, element in enumerate(tree.iterdescendants(), start=1):
        if count > MAX_HTML_ELEMENTS:
            raise IngestError(f"the HTML has over {MAX_HTML_ELEMENTS:,} elements")
        depth[element] = depth[element.getparent()] + 1
        deepest = max(deepest, depth[element])
    if deepest > MAX_HTML_DEPTH:
        raise IngestError(f"the HTML is nested more than {MAX_HTML_DEPTH} levels deep")
    return tree


def _html_article(html: str, url: str | None) -> Article:
    import trafilatura

    doc = trafilatura.bare_extraction(
        _html_tree(html), url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text.split()) < MIN_HTML_WORDS:
        raise IngestError("no article text found in the HTML")
    title = (doc.title or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest.strip()
    return Article(
        title=title or first[:120],
        text=text,
        url=doc.url or url,
        source=doc.sitename or doc.hostname,
        author=doc.author,
        published=doc.date,
    )


def _pdf_article(data: bytes, url: str | None) -> Article:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise IngestError(f"not a readable PDF ({error})") from error
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise IngestError("the PDF has no text layer (a scan?); only PDFs with text can be read")
    title = ((info.title if info else None) or "").strip() or text.splitlines()[0][:120]
    author = (info.author if info else None) or None
    return Article(title=title, text=text, url=url, author=author)


def read_jsonl(data: bytes, origin: str) -> Iterator[Article | Refusal]:
    text = decode_text(data)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise IngestError("the line is not a JSON object")
            yield Article.model_validate(record)
        except json.JSONDecodeError as error:
            yield Refusal(origin=where, reason=f"not valid JSON ({error.msg} at column {error.colno})")
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "line"
            yield Refusal(origin=where, reason=f"{field}: {first['msg']}")
        except IngestError as error:
            yield Refusal(origin=where, reason=str(error))
