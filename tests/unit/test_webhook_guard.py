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
        # IPv6 forms that lead on to IPv4: refused whatever Python's tables say of them.
        "2002:7f00:1::",  # 6to4 for 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 for 169.254.169.254
        "2002:5db8:d70e::",  # 6to4 for a public address: the relay, not us, picks the route
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "2001::1",  # Teredo
        "64:ff9b::7f00:1",  # NAT64 for 127.0.0.1
        "64:ff9b::5db8:d70e",  # NAT64 for a public address
        "64:ff9b:1::a00:1",  # local-use NAT64 for 10.0.0.1
        "::7f00:1",  # IPv4-compatible 127.0.0.1
        "::5db8:d70e",  # IPv4-compatible (deprecated) public address
        "::ffff:0:7f00:1",  # IPv4-translated 127.0.0.1
        "::ffff:a9fe:a9fe",  # IPv4-mapped 169.254.169.254
        "::ffff:10.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert not is_public(ipaddress.ip_address(address))
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(UnsafeTarget, match="not a public address"):
        check_url(f"http://{host}/hook", NOBODY)


@pytest.mark.parametrize(
    "address", ["2606:4700:4700::1111", "2001:4860:4860::8888", "::ffff:93.184.215.14"]
)
def test_public_ipv6_addresses_pass_and_a_mapped_one_is_judged_as_ipv4(address):
    ip = ipaddress.ip_address(address)
    assert is_public(ip)
    assert check_url(f"https://[{address}]/hook", NOBODY).ips == (str(ip),)


@pytest.mark.parametrize("port", [1, 22, 25, 389, 444, 1023])
def test_well_known_ports_but_the_webs_are_refused_unless_allowlisted(port):
    with pytest.raises(UnsafeTarget, match=f"port {port} is refused"):
        check_url(f"http://93.184.215.14:{port}/", NOBODY)
    for allow in ("93.184.215.14", "93.184.215.0/24"):
        assert check_url(f"http://93.184.215.14:{port}/", Allowlist.parse(allow)).port == port
    named = Allowlist.parse("localhost")
    assert check_url(f"http://localhost:{port}/", named).port == port


@pytest.mark.parametrize("port", [80, 443, 1024, 8080, 8443, 65535])
def test_the_webs_ports_and_those_from_1024_pass(port):
    assert check_url(f"https://93.184.215.14:{port}/", NOBODY).port == port


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
