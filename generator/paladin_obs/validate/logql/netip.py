"""The address patterns ``ip("...")`` accepts, with Go's ``net/netip`` rules.

Loki tries the pattern as a single address (``netip.ParseAddr``), a CIDR
prefix (``netip.ParsePrefix``) and a range ``from-to`` (``netipx.ParseIPRange``)
and refuses the query when none fits.  Python's :mod:`ipaddress` agrees with
Go on the address syntax (no leading zeros in IPv4 octets, at most four hex
digits per IPv6 group, ``::`` once); zones and prefix lengths are checked here
the way Go checks them.
"""

from __future__ import annotations

import ipaddress

__all__ = ["ip_pattern_error"]

_Addr = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse_addr(text: str) -> tuple[_Addr, bool] | None:
    """netip.ParseAddr: the address and whether it carried a zone."""
    first = next((c for c in text if c in ".:%"), "")
    if first == ".":
        try:
            return ipaddress.IPv4Address(text), False
        except ValueError:
            return None
    if first != ":":
        return None
    addr, sep, zone = text.partition("%")
    if sep and not zone:
        return None
    try:
        return ipaddress.IPv6Address(addr), bool(sep)
    except ValueError:
        return None


def _parse_prefix(text: str) -> bool:
    addr_text, sep, bits = text.rpartition("/")
    if not sep:
        return False
    parsed = _parse_addr(addr_text)
    if parsed is None or parsed[1]:
        return False
    if not bits.isascii() or not bits.isdigit() or (len(bits) > 1 and bits[0] == "0"):
        return False
    return int(bits) <= parsed[0].max_prefixlen


def _parse_range(text: str) -> bool:
    low_text, sep, high_text = text.partition("-")
    if not sep:
        return False
    low, high = _parse_addr(low_text), _parse_addr(high_text)
    if low is None or high is None or low[0].version != high[0].version:
        return False
    return int(low[0]) <= int(high[0])


def ip_pattern_error(pattern: str) -> str | None:
    """Why ``ip(pattern)`` is refused (None: accepted)."""
    if _parse_addr(pattern) or _parse_prefix(pattern) or _parse_range(pattern):
        return None
    return (
        f"invalid ip() pattern {pattern!r}: use an address (192.168.0.1), "
        "a CIDR prefix (192.168.0.0/16) or a range (192.168.0.1-192.168.0.23)"
    )
