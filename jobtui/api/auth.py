"""Credentials, kept out of every repr, log record and error message.

Gateway v3 sends them as the ``X-Bkapi-Authorization`` JSON header; the ESB
families send them as request parameters. Either way they leave this module
only on the wire.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Credentials:
    """App code and secret plus one user identity (token, access token or username)."""

    app_code: str = ""
    app_secret: str = field(default="", repr=False)
    username: str | None = None
    bk_token: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        who = (
            "username"
            if self.username
            else "bk_token"
            if self.bk_token
            else ("access_token" if self.access_token else "no user")
        )
        return f"Credentials(app_code={self.app_code!r}, secret=***, user={who})"

    __str__ = __repr__

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value, for redaction of text that might echo them."""
        return tuple(s for s in (self.app_secret, self.bk_token, self.access_token) if s)

    def as_params(self) -> dict[str, str]:
        """ESB parameter form."""
        params = {"bk_app_code": self.app_code, "bk_app_secret": self.app_secret}
        if self.access_token:
            params["access_token"] = self.access_token
        elif self.bk_token:
            params["bk_token"] = self.bk_token
        elif self.username:
            params["bk_username"] = self.username
        return params

    def as_header(self) -> str:
        """Gateway ``X-Bkapi-Authorization`` header value."""
        return json.dumps(self.as_params(), separators=(",", ":"))

    def redact(self, text: str) -> str:
        """Replace any secret value found in ``text`` by ``***``."""
        for secret in self.secrets:
            if len(secret) >= 3:
                text = text.replace(secret, "***")
        return text
