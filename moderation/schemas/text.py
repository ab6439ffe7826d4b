"""Text fields of requests: strings every store can hold, checked in one place for all schemas."""

from __future__ import annotations

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
#: A URL as sent: no whitespace or control characters anywhere in it.
_URI = re.compile(r"[^\s\x00-\x1f\x7f]+\Z")


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

    Checked as the document describes it (a `uri` whose scheme the pattern names), not by
    marshmallow's URL pattern, which refuses hosts the document admits (`https://0.a`).
    """

    default_error_messages = {"invalid": "Not a valid URL."}  # noqa: RUF012 - marshmallow's own

    def __init__(self, *, schemes: frozenset[str] = WEB_SCHEMES, **kwargs: Any) -> None:
        self.schemes = schemes
        choice = "|".join("".join(f"[{c.upper()}{c}]" for c in s) for s in sorted(schemes))
        # What _deserialize checks, as JSON Schema can say it: scheme, a host, no space or control.
        sent = r"\s\u0000-\u001f\u007f"
        described = {"format": "uri", "pattern": f"^(?:{choice})://[^/?#{sent}][^{sent}]*$"}
        kwargs["metadata"] = {**described, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018 - raises on a port out of range
        except ValueError:
            raise self.make_error("invalid") from None
        if parts.scheme.lower() not in self.schemes or not parts.hostname or not _URI.match(text):
            raise self.make_error("invalid")
        return text
