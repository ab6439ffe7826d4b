"""Text fields of requests: strings every store can hold, checked in one place for all schemas."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields

#: A UTF-16 surrogate. JSON's `\ud83d\ude00` decodes to the one character the pair encodes, so
#: a surrogate left in decoded text stood alone (browser code that cut a string inside an
#: emoji sends these); no UTF-8 encoder, hence no store, accepts it.
_SURROGATE = re.compile("[\ud800-\udfff]")


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


class Url(Text, fields.Url):
    """A URL that is Unicode text, as Text checks it."""
