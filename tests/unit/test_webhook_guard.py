"""The SSRF guard: only public addresses, unless allowlisted; only http(s), no credentials."""

from __future__ import annotations

import ipaddress

import pytest

from moderation.webhooks.guard import Allowlist, UnsafeTarget, check_url, is_public

NOBODY = Allowlist.parse("")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata service
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",  # noqa: S104 - a target under test, not a bind address
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "::",
        "fc00::1",
        "fe80::1",
        "ff02::1",
        "::ffff:127.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert not is_public(ipaddress.ip_address(address))
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(UnsafeTarget, match="not a public address"):
        check_url(f"http://{host}/hook", NOBODY)


def test_a_public_address_passes_with_its_port_and_path():
    target = check_url("https://93.184.215.14:8443/hooks/in?site=1", NOBODY)

    assert (target.scheme, target.host, target.port, target.ips) == (
        "https",
        "93.184.215.14",
        8443,
        ("93.184.215.14",),
    )
    assert target.path == "/hooks/in?site=1"
    assert check_url("http://93.184.215.14", NOBODY).port == 80


@pytest.mark.parametrize(
    ("allow", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:9000/"),
        ("10.0.0.0/8", "http://10.20.30.40/"),
        ("intranet.example, 127.0.0.0/8", "http://127.0.0.2/"),
        ("localhost", "http://localhost:9000/"),
        ("::1", "http://[::1]:9000/"),
    ],
)
def test_the_allowlist_admits_hosts_ips_and_networks(allow, url):
    assert check_url(url, Allowlist.parse(allow)).ips


def test_an_allowlisted_ip_does_not_open_other_private_ones():
    with pytest.raises(UnsafeTarget):
        check_url("http://10.0.0.2/", Allowlist.parse("10.0.0.1"))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://93.184.215.14/", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("http:///nohost", "no host"),
        ("http://user:pw@93.184.215.14/", "credentials"),
        ("http://93.184.215.14:99999/", "not a valid URL"),
    ],
)
def test_malformed_or_unsupported_urls_are_refused(url, reason):
    with pytest.raises(UnsafeTarget, match=reason):
        check_url(url, NOBODY)
