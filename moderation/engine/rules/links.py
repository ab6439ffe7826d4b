"""Link rules: how many links, blocked or allowed domains, comments that are only links."""

from __future__ import annotations

import re
from typing import Any

from moderation.engine.decision import Action, Reason
from moderation.engine.rules.base import Check, Comment, reason, reasons_at, trigger

_TLDS = (
    "com",
    "net",
    "org",
    "io",
    "co",
    "ru",
    "cn",
    "info",
    "biz",
    "xyz",
    "ly",
    "me",
    "us",
    "uk",
    "de",
    "top",
    "online",
    "site",
    "shop",
    "club",
    "tk",
    "ml",
    "app",
    "dev",
    "tv",
    "gl",
    "gg",
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+|(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:"
    + "|".join(_TLDS)
    + r")\b(?:/[^\s<>\"']*)?"
)
_DOT_TLD = re.compile(r"\.(?:" + "|".join(_TLDS) + r")\b")
_FILLER = " \t\n.,:;!?-()[]"


def _domain(url: str) -> str:
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url).split("/", 1)[0].split(":", 1)[0]
    return host.rstrip(".")


def _matches_domain(host: str, domains: list[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def links(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    """Compile a `links` rule."""
    found_any = trigger(["http", "www."] + [f".{t}" for t in _TLDS])
    max_links = p.get("max_links", 2)
    blocked = [d.lower() for d in p.get("blocked_domains", [])]
    allowed = [d.lower() for d in p.get("allowed_domains", [])]
    blocked_action = Action(p.get("blocked_action", "reject"))
    link_only = Action(p.get("link_only_action", "hold"))

    def check(c: Comment) -> list[Reason]:
        folded = c.folded
        # str.find and a regex that starts with a literal "." run at C speed; the automaton
        # is the exact test for what is left.
        if "http" not in folded and "www." not in folded and not _DOT_TLD.search(folded):
            return []
        if next(found_any.iter(folded), None) is None:
            return []
        found = list(_URL.finditer(c.folded))
        spans = [
            m.span()
            for m in found
            if _matches_domain(host := _domain(m.group()), blocked)
            or (allowed and not _matches_domain(host, allowed))
        ]
        out = reasons_at(rid, "blocked_domain", "links", 3, blocked_action, c, spans)
        if len(found) > max_links:
            out.append(reason(rid, "too_many_links", "links", sev, action, c, found[-1].span()))
        if found and _only_links(folded, found):
            out.append(reason(rid, "link_only", "links", sev, link_only, c, found[0].span()))
        return out

    return check, []


def _only_links(folded: str, found: list[re.Match[str]]) -> bool:
    """Is the text nothing but these links and punctuation?"""
    pos = 0
    for m in found:
        if folded[pos : m.start()].strip(_FILLER):
            return False
        pos = m.end()
    return not folded[pos:].strip(_FILLER)
