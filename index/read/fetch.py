"""Fetch a link from a stranger safely: public addresses only, checked on every hop, streamed with caps.

Refused before connecting: schemes other than http(s), ports outside the allow-list, hosts that resolve to a
loopback, private, link-local, multicast, reserved or unspecified address (IPv4 or IPv6, IPv4-mapped included),
on the first request and on every redirect. The connection goes to the address that was checked (the host name
is kept for the Host header and TLS), so a DNS answer cannot change between the check and the request.
Refused before the body is read: error statuses, content types that are not articles (or, for a feed, not a feed
or a page that names one), declared sizes over the cap; the body itself is streamed and cut at the cap. A feed is
asked for conditionally (`Validators`: ETag, Last-Modified); "not modified" comes back as such, with no body.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from pydantic import BaseModel

from index.read.readers import IngestError

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf", "text/markdown")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
    "text/html",
    "application/xhtml+xml",
)


class Validators(BaseModel):
    """What a server said identifies the version it sent (`ETag`, `Last-Modified`), sent back to ask for it
    only if it changed."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        asked = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {key: value for key, value in asked.items() if value}


class Fetched(BaseModel):
    url: str
    data: bytes
    content_type: str
    name: str
    validators: Validators = Validators()
    not_modified: bool = False


class LinkPolicy(BaseModel):
    timeout: float = 15.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    ports: list[int] = [80, 443]
    allow_loopback: bool = False


@dataclass(frozen=True)
class Target:
    """Where a link that may be fetched goes: its scheme, host and port, and the address that was checked."""

    scheme: str
    host: str
    port: int
    address: str


def check_url(url: str, policy: LinkPolicy) -> Target:
    """Where a link that may be fetched goes; IngestError says why it may not."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise IngestError("only http:// and https:// links can be fetched")
    if not parts.hostname:
        raise IngestError("the link has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise IngestError("the link's port is not a number") from error
    if policy.ports and port not in policy.ports:
        raise IngestError(f"the link uses port {port}, and I only fetch from ports {', '.join(map(str, policy.ports))}")
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise IngestError(f"cannot resolve {parts.hostname}") from error
    addresses = sorted({info[4][0] for info in infos})
    for address in addresses:
        reason = _forbidden(address, policy.allow_loopback)
        if reason:
            host = parts.hostname.strip("[]")
            where = f"{address} is {reason}" if host == address else f"{host} resolves to {reason} ({address})"
            raise IngestError(f"{where}: I only fetch links to public addresses")
    return Target(parts.scheme, parts.hostname, port, addresses[0])


def _forbidden(address: str, allow_loopback: bool) -> str | None:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return None if allow_loopback else "a loopback address"
    for label, flag in (
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if flag:
            return f"{'an' if label[0] in 'aeiou' else 'a'} {label} address"
    return None if ip.is_global else "not a public address"


def fetch(
    url: str,
    policy: LinkPolicy | None = None,
    accept: tuple[str, ...] = ACCEPTED_TYPES,
    validators: Validators | None = None,
) -> Fetched:
    """The page at `url` if it is one of the `accept` types (a feed: `FEED_TYPES`); with `validators`, only if it
    changed since (else `not_modified`)."""
    policy = policy or LinkPolicy()
    headers = {
        "User-Agent": "whosaid/0.1 (+article reader)",
        "Accept": ", ".join(accept),
        **(validators.headers() if validators else {}),
    }
    try:
        with httpx.Client(timeout=policy.timeout, follow_redirects=False) as client:
            for _ in range(policy.max_redirects + 1):
                target = check_url(url, policy)
                parts = urlsplit(url)
                address, port = target.address, target.port
                netloc = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
                pinned = urlunsplit((target.scheme, netloc, parts.path or "/", parts.query, ""))
                request = client.build_request(
                    "GET", pinned, headers={**headers, "Host": parts.netloc}, extensions={"sni_hostname": target.host}
                )
                response = client.send(request, stream=True)
                try:
                    if response.is_redirect and response.status_code != 304:  # 304: not modified
                        location = response.headers.get("location")
                        if not location:
                            raise IngestError(f"the server answered HTTP {response.status_code} without a target")
                        url = urljoin(url, location)
                        continue
                    return _read(response, url, policy, accept)
                finally:
                    response.close()
            raise IngestError(f"more than {policy.max_redirects} redirects")
    except httpx.TimeoutException as error:
        raise IngestError(f"the site did not answer within {policy.timeout:g} s") from error
    except httpx.HTTPError as error:
        raise IngestError(f"cannot reach the site ({type(error).__name__}: {error})") from error


def _read(response: httpx.Response, url: str, policy: LinkPolicy, accept: tuple[str, ...]) -> Fetched:
    validators = Validators(etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"))
    name = urlsplit(url).path.rsplit("/", 1)[-1] or "index.html"
    if response.status_code == 304:
        return Fetched(url=url, data=b"", content_type="", name=name, validators=validators, not_modified=True)
    if response.status_code >= 400:
        raise IngestError(f"the server answered HTTP {response.status_code}")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and not content_type.startswith(accept):
        wanted = "an article (HTML, text or PDF)" if accept == ACCEPTED_TYPES else "a feed (RSS or Atom) or a page"
        raise IngestError(f"the link is {content_type}, not {wanted}")
    declared = int(response.headers.get("content-length") or 0)
    if declared > policy.max_bytes:
        raise IngestError(f"the page is {declared:,} bytes, over the {policy.max_bytes:,}-byte limit")
    body = bytearray()
    for piece in response.iter_bytes():
        body += piece
        if len(body) > policy.max_bytes:
            raise IngestError(f"the page is over the {policy.max_bytes:,}-byte limit")
    return Fetched(url=url, data=bytes(body), content_type=content_type, name=name, validators=validators)
