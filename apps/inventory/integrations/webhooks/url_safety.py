"""Which webhook URLs we will call: https only, and never an address inside our own network.

Checked when a URL is saved and again right before each send (DNS may have changed in between).
`WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true` (tests and local runs only) lifts both rules.
"""
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

BLOCKED_HOSTNAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


class UnsafeWebhookUrl(Exception):
    """The URL may not be called; the message says why and how to fix it."""


def _address_is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def _resolve(host: str, port: int) -> list[str]:
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)})
    except (socket.gaierror, UnicodeError):
        return []


def webhook_url_check(url: str, *, require_resolvable: bool) -> None:
    """Raise UnsafeWebhookUrl unless `url` may be called. At save time an unresolvable host is
    accepted (it may not exist in DNS yet); at send time it is refused."""
    parts = urlsplit(url)
    allow_private = settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS
    allowed_schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in allowed_schemes or not parts.hostname:
        raise UnsafeWebhookUrl("Webhook URLs must be absolute https:// URLs, e.g. https://example.com/hooks/stock.")
    if parts.username or parts.password:
        raise UnsafeWebhookUrl("Webhook URLs may not carry credentials; authenticate with the signature.")
    if allow_private:
        return
    host = parts.hostname.rstrip(".").lower()
    if host in BLOCKED_HOSTNAMES or host.endswith(".localhost"):
        raise UnsafeWebhookUrl("Webhook URLs may not point at localhost. Use a public https endpoint.")
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = _resolve(host, parts.port or 443)
    if not addresses and require_resolvable:
        raise UnsafeWebhookUrl(f"The webhook host {host} does not resolve in DNS.")
    internal = [address for address in addresses if _address_is_internal(address)]
    if internal:
        raise UnsafeWebhookUrl(f"The webhook host {host} resolves to a private, loopback or link-local address "
                               f"({internal[0]}). Use an endpoint reachable on the public internet.")
