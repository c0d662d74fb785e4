"""Fetch a URL with a time limit and a size cap, streamed, for extraction as an article."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel

from index.readers import IngestError

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf", "text/markdown")


class Fetched(BaseModel):
    url: str
    data: bytes
    content_type: str
    name: str


def fetch(url: str, timeout: float = 15.0, max_bytes: int = 5_000_000, max_redirects: int = 5) -> Fetched:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IngestError("only http:// and https:// links can be fetched")
    headers = {"User-Agent": "whosaid/0.1 (+article reader)", "Accept": ", ".join(ACCEPTED_TYPES)}
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=max_redirects) as client,
            client.stream("GET", url, headers=headers) as response,
        ):
            if response.status_code >= 400:
                raise IngestError(f"the server answered HTTP {response.status_code}")
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type and not content_type.startswith(ACCEPTED_TYPES):
                raise IngestError(f"the link is {content_type}, not an article (HTML, text or PDF)")
            declared = int(response.headers.get("content-length") or 0)
            if declared > max_bytes:
                raise IngestError(f"the page is {declared:,} bytes, over the {max_bytes:,}-byte limit")
            body = bytearray()
            for piece in response.iter_bytes():
                body += piece
                if len(body) > max_bytes:
                    raise IngestError(f"the page is over the {max_bytes:,}-byte limit")
            final = str(response.url)
    except httpx.TimeoutException as error:
        raise IngestError(f"the site did not answer within {timeout:g} s") from error
    except httpx.TooManyRedirects as error:
        raise IngestError(f"more than {max_redirects} redirects") from error
    except httpx.HTTPError as error:
        raise IngestError(f"cannot reach the site ({type(error).__name__}: {error})") from error
    name = urlsplit(final).path.rsplit("/", 1)[-1] or "index.html"
    return Fetched(url=final, data=bytes(body), content_type=content_type, name=name)
