"""Text fields of requests: strings every store can hold, checked in one place for all schemas."""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from marshmallow import ValidationError, fields

#: A UTF-16 surrogate. JSON's `\ud83d\ude00` decodes to the one character the pair encodes, so
#: a surrogate left in decoded text stood alone (browser code that cut a string inside an
#: emoji sends these); no UTF-8 encoder, hence no store, accepts it.
_SURROGATE = re.compile("[\ud800-\udfff]")
#: What the document says of every Text (JSON Schema's ECMA-262 regex): no NUL character, which
#: api.common.json_body refuses in a body (422) and the app in the URL (400).
NO_NUL = r"^[^\u0000]*$"
#: Schemes a URL field takes unless it says otherwise (marshmallow's own default).
WEB_SCHEMES = frozenset({"http", "https", "ftp", "ftps"})
# An IRI (RFC 3987) with an authority, as JSON Schema's `iri` format reads one, written once
# for both the check and the document (ECMA-262 and Python regexes alike). Letters beyond ASCII
# are the BMP's ucschar: a newsroom's URLs hold accented words; controls, spaces and the like
# are not letters of any script and make the URL invalid, wherever they are.
_LETTER = "A-Za-z0-9\\-._~\\u00a0-\\ud7ff\\uf900-\\ufdcf\\ufdf0-\\uffef"  # iunreserved
_DELIM = "!$&'()*+,;="  # sub-delims
_PCT = "%[0-9A-Fa-f]{2}"
_PCHAR = f"(?:[{_LETTER}{_DELIM}:@]|{_PCT})"
_AUTHORITY = (
    f"(?:(?:[{_LETTER}{_DELIM}:]|{_PCT})*@)?"  # userinfo
    f"(?:\\[[0-9A-Fa-f:.]+\\]|(?:[{_LETTER}{_DELIM}]|{_PCT})+)"  # IP literal, or a name
    "(?::[0-9]*)?"
)
_REST = f"(?:/{_PCHAR}*)*(?:\\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"


class Text(fields.String):
    """A string that is Unicode text: a lone surrogate is this field's error, not a failed write.

    Every string a request schema loads is a Text (or a Url), so the check is made once, here.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        if (found := _SURROGATE.search(text)) is not None:
            raise ValidationError(
                f"Holds a lone surrogate (U+{ord(found.group()):04X}) at character "
                f"{found.start()}: not Unicode text. Send whole characters."
            )
        return text


class Url(Text):
    """An absolute URL with a host, of one of `schemes`, that is Unicode text as Text checks it.

    Checked as the document describes it (an `iri` of the pattern's shape), not by
    marshmallow's URL pattern, which refuses hosts the document admits (`https://0.a`).
    """

    default_error_messages = {"invalid": "Not a valid URL."}  # noqa: RUF012 - marshmallow's own

    def __init__(self, *, schemes: frozenset[str] = WEB_SCHEMES, **kwargs: Any) -> None:
        self.schemes = schemes
        choice = "|".join("".join(f"[{c.upper()}{c}]" for c in s) for s in sorted(schemes))
        # What _deserialize checks, as JSON Schema can say it: one of the schemes, a host.
        self._shape = re.compile(f"(?:{choice})://{_AUTHORITY}{_REST}")
        described = {"format": "iri", "pattern": f"^{self._shape.pattern}$"}
        kwargs["metadata"] = {**described, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018 - raises on a port out of range
        except ValueError:
            raise self.make_error("invalid") from None
        if not parts.hostname or not self._shape.fullmatch(text) or not _address(parts.netloc):
            raise self.make_error("invalid")
        return text


def _address(netloc: str) -> bool:
    """An IP literal's address is one (the pattern only says which characters it holds)."""
    host = netloc.rpartition("@")[2]
    if not host.startswith("["):
        return True
    literal = host[1 : host.find("]")]
    try:
        ipaddress.IPv6Address(literal)
    except ValueError:
        return False
    return True
