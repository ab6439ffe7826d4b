"""The outbound HTTP client: one POST to a checked address, with a timeout and no redirects."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from moderation.webhooks.guard import Allowlist, Target, UnsafeTarget, check_url

#: How the service introduces itself to receivers.
USER_AGENT = "newsroom-moderation-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: a status code, or an error before any answer."""

    status: int | None
    error: str | None
    retry_after: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        """2xx only: a redirect is not followed, so it is a failure like any other."""
        return self.status is not None and 200 <= self.status < 300


def _connect(ips: tuple[str, ...], port: int, timeout: float) -> socket.socket:
    # Each checked address in turn (a host may resolve to IPv6 and IPv4), never a fresh lookup.
    failure: OSError = OSError("no address to connect to")
    for ip in ips:
        try:
            return socket.create_connection((ip, port), timeout)
        except OSError as error:
            failure = error
    raise failure


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the addresses the guard checked, while Host names the URL's host."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.pinned = target.ips
        self.seconds = timeout

    def connect(self) -> None:
        self.sock = _connect(self.pinned, self.port, self.seconds)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """As _PinnedHTTP, over TLS: SNI and certificate checks use the URL's host, not the IP."""

    def __init__(self, target: Target, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self.pinned = target.ips
        self.seconds = timeout
        self.tls = context

    def connect(self) -> None:
        raw = _connect(self.pinned, self.port, self.seconds)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    allow: Allowlist,
    tls: ssl.SSLContext | None = None,
) -> Outcome:
    """POST once; never raises for network trouble, the Outcome says what happened.

    The guard runs on every attempt, not only at registration: DNS may have changed since.
    """
    started = time.monotonic()

    def done(status: int | None, error: str | None, retry_after: str | None = None) -> Outcome:
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(status=status, error=error, retry_after=retry_after, duration_ms=elapsed)

    try:
        target = check_url(url, allow)
    except UnsafeTarget as refused:
        return done(None, f"refused: {refused}")
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPS(target, timeout, tls or ssl.create_default_context())
    else:
        connection = _PinnedHTTP(target, timeout)
    sent = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **headers,
    }
    try:
        connection.request("POST", target.path, body=body, headers=sent)
        response = connection.getresponse()
        # Read a little so the receiver sees a clean exchange; its body is never stored.
        response.read(4096)
        status = response.status
        error = None
        if 300 <= status < 400:
            error = f"redirect to {response.getheader('Location', '?')} not followed"
        elif not 200 <= status < 300:
            error = f"HTTP {status}"
        return done(status, error, response.getheader("Retry-After"))
    except (OSError, http.client.HTTPException) as failure:
        return done(None, f"{type(failure).__name__}: {failure}"[:500])
    finally:
        connection.close()
