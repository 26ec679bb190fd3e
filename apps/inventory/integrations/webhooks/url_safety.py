"""Which webhook URLs we will call: https only, and never an address inside our own network.

Checked when a URL is saved and again right before each send (DNS may have changed in between).
The send-time check returns the addresses it vetted and the client connects to one of them (never
resolving again), so a DNS answer that changes between check and connect (rebinding) cannot reach
an internal address. IPv6 forms that embed an IPv4 address — IPv4-mapped, IPv4-compatible, 6to4
(2002::/16), NAT64 (64:ff9b::/96) — are judged by the IPv4 address they carry.
`WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true` (tests and local runs only) lifts the scheme and address rules.
"""
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

BLOCKED_HOSTNAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


class UnsafeWebhookUrl(Exception):
    """The URL may not be called; the message says why and how to fix it."""


NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")  # a site's own translator: never a public target
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if ip in NAT64_WELL_KNOWN or (ip in IPV4_COMPATIBLE and int(ip) > 1):  # :: and ::1 are judged as they are
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in NAT64_LOCAL_USE:
            return True
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return address_is_internal(str(embedded))
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def _resolve(host: str, port: int) -> list[str]:
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)})
    except (socket.gaierror, UnicodeError):
        return []


def webhook_url_check(url: str, *, require_resolvable: bool) -> list[str]:
    """The addresses `url`'s host resolves to, each vetted (connect only to one of these), or
    UnsafeWebhookUrl. At save time an unresolvable host is accepted (it may not exist in DNS yet);
    at send time it is refused."""
    parts = urlsplit(url)
    allow_private = settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS
    allowed_schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in allowed_schemes or not parts.hostname:
        raise UnsafeWebhookUrl("Webhook URLs must be absolute https:// URLs, e.g. https://example.com/hooks/stock.")
    if parts.username or parts.password:
        raise UnsafeWebhookUrl("Webhook URLs may not carry credentials; authenticate with the signature.")
    host = parts.hostname.rstrip(".").lower()
    if not allow_private and (host in BLOCKED_HOSTNAMES or host.endswith(".localhost")):
        raise UnsafeWebhookUrl("Webhook URLs may not point at localhost. Use a public https endpoint.")
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = _resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    if not addresses and require_resolvable:
        raise UnsafeWebhookUrl(f"The webhook host {host} does not resolve in DNS.")
    internal = [] if allow_private else [address for address in addresses if address_is_internal(address)]
    if internal:
        raise UnsafeWebhookUrl(f"The webhook host {host} resolves to a private, loopback or link-local address "
                               f"({internal[0]}). Use an endpoint reachable on the public internet.")
    return addresses
