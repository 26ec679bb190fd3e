"""Merchant webhooks connect to the address that was checked: a DNS answer that changes between the
check and the connection (rebinding) cannot reach an internal address, the original host still goes
out as Host and TLS SNI, and IPv6 forms that embed a private IPv4 address are refused.

The resolver is the process' own `socket.getaddrinfo`, replaced for the test's host names only (a
third-party boundary, like a local HTTP server): it answers differently from one lookup to the next."""
import socket
import ssl
import tempfile
import threading
from datetime import UTC, datetime, timedelta

import pytest

from apps.inventory.models import WebhookAttempt, WebhookDelivery
from apps.inventory.tasks import deliver_webhook

pytestmark = pytest.mark.django_db

SECRET = "whsec_rebind_0123456789"
PUBLIC_ADDRESS = "93.184.216.34"  # global; unreachable from the test machine, which is the point


class ScriptedResolver:
    """Answers lookups of `hostname` with `answers` in turn (the last one repeated); others go to DNS."""

    def __init__(self, monkeypatch, hostname: str, answers: list[str]):
        self.hostname, self.answers, self.lookups = hostname, answers, 0
        self.real = socket.getaddrinfo
        monkeypatch.setattr(socket, "getaddrinfo", self.getaddrinfo)

    def reset(self) -> None:
        self.lookups = 0

    def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):  # noqa: A002 — socket's names
        if host != self.hostname:
            return self.real(host, port, family, type, proto, flags)
        address = self.answers[min(self.lookups, len(self.answers) - 1)]
        self.lookups += 1
        kind = socket.AF_INET6 if ":" in address else socket.AF_INET
        sockaddr = (address, int(port or 0), 0, 0) if kind == socket.AF_INET6 else (address, int(port or 0))
        return [(kind, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)]


class TcpListener:
    """An internal service on 127.0.0.1: records every connection it accepts (and the TLS SNI name)."""

    def __init__(self, tls_hostname: str | None = None):
        self.accepted, self.sni_names = 0, []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.context = self._tls_context(tls_hostname) if tls_hostname else None
        threading.Thread(target=self._serve, daemon=True).start()

    def _tls_context(self, hostname: str) -> ssl.SSLContext:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)])
        now = datetime.now(UTC)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=1))
                .not_valid_after(now + timedelta(hours=1))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
                .sign(key, hashes.SHA256()))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.NamedTemporaryFile(suffix=".pem") as pem:
            pem.write(cert.public_bytes(serialization.Encoding.PEM))
            pem.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()))
            pem.flush()
            context.load_cert_chain(pem.name)
        context.sni_callback = lambda conn, server_name, ctx: self.sni_names.append(server_name)
        return context

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            try:
                if self.context:
                    conn = self.context.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError):
                pass
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def production_network_rules(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    settings.OUTBOUND_HTTP_TIMEOUT_SECONDS = 2


@pytest.fixture
def listener():
    server = TcpListener()
    yield server
    server.close()


def send_test_webhook(merchant_api) -> WebhookDelivery:
    response = merchant_api.post("/api/v1/inventory/webhook-endpoint/test")
    assert response.status_code == 202, response.json()
    delivery = WebhookDelivery.objects.latest("id")
    deliver_webhook.apply(args=[delivery.id])
    return delivery


def test_dns_rebinding_between_check_and_connect_never_reaches_an_internal_address(
        seed_catalog, merchant_api, production_network_rules, listener, monkeypatch):
    # given a host whose DNS answers a public address to the check and 127.0.0.1 to the next lookup
    resolver = ScriptedResolver(monkeypatch, "hooks.rebind.example", [PUBLIC_ADDRESS, "127.0.0.1"])
    url = f"https://hooks.rebind.example:{listener.port}/hooks/inventory"
    assert merchant_api.put("/api/v1/inventory/webhook-endpoint", {"url": url, "secret": SECRET},
                            format="json").status_code == 200
    resolver.reset()

    # when the merchant sends a test webhook (every retry included)
    delivery = send_test_webhook(merchant_api)

    # then nothing ever connected to the internal service; the first attempt went to the vetted address
    assert listener.accepted == 0
    attempts = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number").values_list("error", flat=True))
    assert attempts[0] and not attempts[0].startswith("refused")  # connected (and failed) to the public address
    assert all(error.startswith("refused") for error in attempts[1:])  # later checks see 127.0.0.1 and stop


@pytest.mark.parametrize("url", [
    "https://[2002:7f00:1::]/hooks",           # 6to4 of 127.0.0.1
    "https://[2002:a9fe:a9fe::1]/hooks",       # 6to4 of 169.254.169.254 (cloud metadata)
    "https://[64:ff9b::a00:1]/hooks",          # NAT64 of 10.0.0.1
    "https://[64:ff9b:1::a00:1]/hooks",        # local-use NAT64
    "https://[::ffff:192.168.0.1]/hooks",      # IPv4-mapped
    "https://[::10.0.0.1]/hooks",              # IPv4-compatible
])
def test_ipv6_forms_of_private_ipv4_addresses_are_refused(seed_catalog, merchant_api, production_network_rules, url):
    response = merchant_api.put("/api/v1/inventory/webhook-endpoint", {"url": url, "secret": SECRET}, format="json")

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "UNSAFE_URL"


def test_a_host_resolving_to_6to4_of_loopback_is_refused_at_send_time(
        seed_catalog, merchant_api, production_network_rules, listener, monkeypatch):
    resolver = ScriptedResolver(monkeypatch, "hooks.sixtofour.example", [PUBLIC_ADDRESS, "2002:7f00:1::"])
    url = "https://hooks.sixtofour.example/hooks"
    assert merchant_api.put("/api/v1/inventory/webhook-endpoint", {"url": url, "secret": SECRET},
                            format="json").status_code == 200
    resolver.answers = ["2002:7f00:1::"]

    delivery = send_test_webhook(merchant_api)

    errors = set(WebhookAttempt.objects.filter(delivery=delivery).values_list("error", flat=True))
    assert len(errors) == 1 and errors.pop().startswith("refused")


def test_the_pinned_request_keeps_the_original_host_header_and_resolves_once(seed_catalog, merchant_api, receiver,
                                                                              monkeypatch):
    # given a local receiver (private networks allowed, as in local runs) behind a host name
    resolver = ScriptedResolver(monkeypatch, "hooks.pinned.example", ["127.0.0.1"])
    port = receiver.url("/").split(":")[-1].split("/")[0]
    url = f"http://hooks.pinned.example:{port}/hooks/inventory"
    assert merchant_api.put("/api/v1/inventory/webhook-endpoint", {"url": url, "secret": SECRET},
                            format="json").status_code == 200
    resolver.reset()

    # when
    delivery = send_test_webhook(merchant_api)

    # then
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert receiver.requests[0]["headers"]["Host"] == f"hooks.pinned.example:{port}"
    assert resolver.lookups == 1


def test_https_deliveries_present_the_original_host_as_tls_sni(seed_catalog, merchant_api, monkeypatch):
    # given a TLS service (self-signed, so the certificate check fails after the handshake starts)
    server = TcpListener(tls_hostname="hooks.sni.example")
    ScriptedResolver(monkeypatch, "hooks.sni.example", ["127.0.0.1"])
    url = f"https://hooks.sni.example:{server.port}/hooks"
    assert merchant_api.put("/api/v1/inventory/webhook-endpoint", {"url": url, "secret": SECRET},
                            format="json").status_code == 200

    # when
    send_test_webhook(merchant_api)
    server.close()

    # then the connection to the pinned IP named the host in its ClientHello
    assert server.sni_names and set(server.sni_names) == {"hooks.sni.example"}
