"""The Stripe SDK's HTTP transport on urllib3 directly.

The SDK's default `RequestsClient` goes through a `requests.Session` (hooks, cookie jar, environment
merging, adapters, URL re-parsing) before urllib3 sends anything: about 1 ms of CPU per call, a twentieth
of a whole guest checkout (benchmarks/checkout.py). This sends the same request on a urllib3 pool: the
same per-attempt connect and read timeouts, Stripe's CA bundle, the HTTPS_PROXY / NO_PROXY environment
honoured as requests does, no redirects or retries of its own (apps.payments.services.gateway retries).
Failures become the SDK's `APIConnectionError`, its message naming a timeout as "timed out".
"""
import textwrap
import urllib.request
from urllib.parse import urlsplit

import stripe
import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError, ProtocolError, ReadTimeoutError


class Urllib3Client(stripe.HTTPClient):
    name = "urllib3"

    def __init__(self, timeout: float):
        super().__init__()
        self._timeout = urllib3.Timeout(connect=timeout, read=timeout)
        options = {"maxsize": 32, "retries": False, "timeout": self._timeout,
                   "cert_reqs": "CERT_REQUIRED", "ca_certs": stripe.ca_bundle_path}
        self._direct = urllib3.PoolManager(num_pools=4, **options)
        proxy = urllib.request.getproxies().get("https")
        self._proxied = urllib3.ProxyManager(proxy, num_pools=4, **options) if proxy else None

    def _pool_for(self, url: str) -> urllib3.PoolManager:
        if self._proxied is not None and not urllib.request.proxy_bypass(urlsplit(url).hostname or ""):
            return self._proxied
        return self._direct

    def request(self, method: str, url: str, headers, post_data=None):
        try:
            response = self._pool_for(url).request(method, url, headers=dict(headers or {}), body=post_data,
                                                   redirect=False, preload_content=True)
        except Exception as exc:  # noqa: BLE001 — every failure is the SDK's connection error, as with requests
            self._raise_connection_error(exc)
        return response.data, response.status, response.headers

    def request_stream(self, method: str, url: str, headers, post_data=None):
        try:
            response = self._pool_for(url).request(method, url, headers=dict(headers or {}), body=post_data,
                                                   redirect=False, preload_content=False)
        except Exception as exc:  # noqa: BLE001
            self._raise_connection_error(exc)
        return response, response.status, response.headers

    def _raise_connection_error(self, exc: Exception):
        retryable = isinstance(exc, (ConnectTimeoutError, ReadTimeoutError, NewConnectionError, ProtocolError))
        kind = "Unexpected error communicating with Stripe." if isinstance(exc, HTTPError) else (
            "Unexpected error communicating with Stripe: it looks like a configuration issue locally.")
        message = textwrap.fill(kind) + f"\n\n(Network error: {type(exc).__name__}: {exc})"
        raise stripe.APIConnectionError(message, should_retry=retryable) from exc

    def close(self):
        self._direct.clear()
        if self._proxied is not None:
            self._proxied.clear()
