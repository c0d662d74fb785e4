"""One address per article: the forms a link to the same page takes (tracking parameters, a fragment, an AMP
copy, a host in capitals) written one way, so that the page reached twice is stored once."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING = frozenset(
    """fbclid gclid dclid msclkid mc_cid mc_eid igshid yclid _ga _gl ref ref_src ref_url cmpid ocid smid smtyp
    ncid sr_share outputtype amp""".split()
)
"""Query parameters that tell where a reader came from (or ask for an AMP copy), not which page it is; with every
`utm_…` one."""


def canonical(url: str) -> str:
    """The address of the page a link points at: scheme and host in lower case, no fragment, no tracking or AMP
    parameters, no "/amp" at the end of the path, no default port; other parameters kept in their order."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    host = f"[{host}]" if ":" in host else host  # IPv6
    if parts.port and not (
        (parts.scheme == "http" and parts.port == 80) or (parts.scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    path = parts.path
    for suffix in ("/amp/", "/amp", ".amp"):
        if path.lower().endswith(suffix):
            path = path[: -len(suffix)] or "/"
            break
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(query), ""))


def _tracking(key: str) -> bool:
    key = key.lower()
    return key.startswith("utm_") or key in TRACKING
