"""The SSRF guard: which webhook targets the service may reach, decided on the resolved address."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Schemes a webhook URL may use.
SCHEMES = ("http", "https")
#: Ports below 1024 a webhook URL may name without an allowlist entry: the web's own. The rest
#: of the well-known ports belong to other services (SSH, SMTP, LDAP…), not to be probed.
WEB_PORTS = (80, 443)
#: IPv6 prefixes that carry traffic on to an IPv4 address embedded in them (NAT64, its local
#: form, 6to4, Teredo) or whose IPv4 form is deprecated (compatible, translated): refused whole,
#: as the IPv4 address they reach is not the one checked.
TRANSITION_NETWORKS = tuple(
    ipaddress.IPv6Network(net)
    for net in (
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "2002::/16",
        "2001::/32",
        "::/96",
        "::ffff:0:0:0/96",
    )
)


class UnsafeTarget(ValueError):
    """A webhook URL the service refuses to call: wrong scheme, unresolvable or not public."""


@dataclass(frozen=True)
class Allowlist:
    """Hosts and networks reachable although not public (a site's intranet, the test receiver)."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Allowlist:
        """Read a comma-separated list of hostnames, IPs and CIDRs (the setting's format)."""
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                hosts.add(item.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows_host(self, host: str) -> bool:
        """Whether this hostname was allowed by name."""
        return host.lower().rstrip(".") in self.hosts

    def allows_ip(self, ip: IPAddress) -> bool:
        """Whether this address falls in an allowed network."""
        return any(ip.version == net.version and ip in net for net in self.networks)


@dataclass(frozen=True)
class Target:
    """A checked URL: what to send (host, path) and the addresses to connect to, in order."""

    scheme: str
    host: str
    port: int
    path: str
    ips: tuple[str, ...]


def is_public(ip: IPAddress) -> bool:
    """Whether an address is on the public internet (not private, loopback, link-local, …).

    An IPv4-mapped address is judged as the IPv4 address it is; other IPv6 forms that lead to
    IPv4 (TRANSITION_NETWORKS) are never public, whatever Python's tables say of them.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback in disguise
        elif any(ip in net for net in TRANSITION_NETWORKS):
            return False  # 2002:7f00:1:: is 6to4 for 127.0.0.1
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise UnsafeTarget(f"{host} does not resolve: {error}") from None
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise UnsafeTarget(f"{host} does not resolve")
    return addresses


def check_url(url: str, allow: Allowlist) -> Target:
    """Parse and resolve a webhook URL once; refuse it unless every address it has is allowed.

    The caller connects only to `Target.ips`, the addresses checked here, so a DNS answer that
    changes between check and connect (DNS rebinding) cannot steer the request inward.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeTarget(f"not a valid URL: {error}") from None
    if parts.scheme not in SCHEMES:
        raise UnsafeTarget("only http and https URLs can receive webhooks")
    if not parts.hostname:
        raise UnsafeTarget("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("credentials in the URL are not accepted")
    host = parts.hostname
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = _resolve(host, port)
    named = allow.allows_host(host)
    if not named:
        for address in addresses:
            if not is_public(address) and not allow.allows_ip(address):
                raise UnsafeTarget(f"{host} resolves to {address}, which is not a public address")
    allowed = named or all(allow.allows_ip(address) for address in addresses)
    if port < 1024 and port not in WEB_PORTS and not allowed:
        raise UnsafeTarget(f"port {port} is refused: use 80, 443 or a port from 1024 up")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    ips = tuple(str(address) for address in addresses)
    return Target(scheme=parts.scheme, host=host, port=port, path=path, ips=ips)
