"""Secrets at rest: webhook signing secrets sealed with Fernet under MODERATION_SECRET_KEY."""

from __future__ import annotations

import base64
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

#: What starts a sealed value; a value without it was stored in clear (before a key was set).
PREFIX = "fernet:"


class SecretKeyError(ValueError):
    """A sealed secret no configured key opens, or a key that is not a Fernet key."""


class SecretBox:
    """Seals with the first key and opens with any (so keys can be rotated); no keys: clear."""

    def __init__(self, keys: list[str]) -> None:
        for key in keys:  # Fernet's own rule, checked here so a bad key fails at start-up
            try:
                raw = base64.urlsafe_b64decode(key.encode())
            except ValueError:  # binascii.Error is one
                raw = b""
            if len(raw) != 32:
                raise SecretKeyError("not a Fernet key (32 url-safe base64 bytes)")
        self._keys = keys

    @cached_property
    def _fernet(self) -> MultiFernet | None:
        # Imported on first use: cryptography's bindings cost a process about 7 MiB, and the
        # moderation worker, which never seals or opens a secret, is scaled out by the dozen.
        from cryptography.fernet import Fernet, MultiFernet

        return MultiFernet([Fernet(key.encode()) for key in self._keys]) if self._keys else None

    @property
    def sealing(self) -> bool:
        """Whether secrets are stored sealed (a key is set)."""
        return bool(self._keys)

    def seal(self, secret: str) -> str:
        """The secret as it is stored."""
        if self._fernet is None:
            return secret
        return PREFIX + self._fernet.encrypt(secret.encode()).decode()

    def open(self, stored: str) -> str:
        """The secret a stored value holds."""
        if not stored.startswith(PREFIX):
            return stored
        if self._fernet is None:
            raise SecretKeyError("a sealed secret, and MODERATION_SECRET_KEY is not set")
        from cryptography.fernet import InvalidToken  # loaded with _fernet above

        try:
            return self._fernet.decrypt(stored.removeprefix(PREFIX).encode()).decode()
        except InvalidToken:
            raise SecretKeyError("no key in MODERATION_SECRET_KEY opens this secret") from None

    def reseal(self, stored: str) -> str:
        """The stored value sealed again with the first key (sealed anew if it was clear)."""
        return self.seal(self.open(stored))


@lru_cache(maxsize=4)
def box(secret_key: str) -> SecretBox:
    """The box for MODERATION_SECRET_KEY: comma-separated Fernet keys, the first one sealing."""
    return SecretBox([key.strip() for key in secret_key.split(",") if key.strip()])
