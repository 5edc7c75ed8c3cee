"""Configuration: flags > environment > TOML file > defaults, resolved to ``ConnectionSettings``.

The file (``$XDG_CONFIG_HOME/jobtui/config.toml``, or ``--config`` /
``JOBTUI_CONFIG``) holds top-level keys shared by every profile and
``[profiles.NAME]`` tables that override them; ``--profile`` /
``JOBTUI_PROFILE`` pick one, else ``default`` (which may be absent).

Every problem becomes one ``ConfigError`` line that names the file (and the
line when ``tomllib`` knows it) but never a value, so a mistyped secret cannot
leak through an error message. Warnings (a world-readable secret file,
``--insecure``) are returned, not printed: the command line decides where
they go.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jobtui.api.auth import Credentials
from jobtui.api.errors import ConfigError
from jobtui.api.models import ApiFamily, ScopeType
from jobtui.api.settings import ConnectionSettings
from jobtui.core import cadence
from jobtui.core.readonly import ReadOnly

DEFAULT_PROFILE = "default"
DEFAULT_INTERVAL = 2.0
MIN_TIMEOUT, MAX_TIMEOUT = 0.5, 600.0  # per request, seconds: `timeout` and --timeout
# The poll period's range is the monitor's (one truth): out of range is refused, not clamped.
MIN_INTERVAL, MAX_INTERVAL = cadence.MIN_INTERVAL, cadence.MAX_INTERVAL
# The wall (core/joblist.py WallPolicy): how long a failed job keeps its card, how many
# failed cards at most. 48 is every card the wall fetches (WallPolicy.limit).
MIN_WALL_WINDOW, MAX_WALL_WINDOW = timedelta(minutes=1), timedelta(days=30)
MAX_WALL_FAILED_CARDS = 48
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhd])\s*$", re.IGNORECASE)
_DURATION_UNIT = {"m": 60, "h": 3600, "d": 86400}

_STR_KEYS = frozenset(
    {
        "url",
        "api",
        "scope_type",
        "app_code",
        "app_secret",
        "username",
        "bk_token",
        "access_token",
        "ca_bundle",
        "timezone",
    }
)
_NUM_KEYS = frozenset({"timeout", "interval"})
_WALL_KEYS = frozenset({"wall_failure_window", "wall_failed_cards"})
KEYS = _STR_KEYS | _NUM_KEYS | _WALL_KEYS | {"scope_id", "insecure", "readonly"}
SECRET_KEYS = frozenset({"app_secret", "bk_token", "access_token"})
USER_KEYS = ("access_token", "bk_token", "username")

#: Environment variable → config key.
ENV_KEYS: Mapping[str, str] = {
    "JOBTUI_URL": "url",
    "JOBTUI_API": "api",
    "JOBTUI_SCOPE_TYPE": "scope_type",
    "JOBTUI_SCOPE_ID": "scope_id",
    "BK_APP_CODE": "app_code",
    "BK_APP_SECRET": "app_secret",
    "BK_USERNAME": "username",
    "BK_TOKEN": "bk_token",
    "BK_ACCESS_TOKEN": "access_token",
    "JOBTUI_READONLY": "readonly",
}


@dataclass(frozen=True, slots=True)
class ResolvedConfig:
    """The outcome of configuration: what to connect to, how often to poll, what to warn about."""

    settings: ConnectionSettings
    interval: float
    profile: str
    path: Path | None  # the config file read, if any
    warnings: tuple[str, ...] = ()
    readonly: ReadOnly | None = None  # why no operation may be sent (None: they may)
    wall_failure_window: timedelta | None = None  # None: the wall's own (WallPolicy)
    wall_failed_cards: int | None = None


def default_config_path(env: Mapping[str, str]) -> Path:
    """``$XDG_CONFIG_HOME/jobtui/config.toml`` (platformdirs elsewhere)."""
    xdg = env.get("XDG_CONFIG_HOME")
    if xdg:
        return Path(xdg) / "jobtui" / "config.toml"
    import platformdirs

    return Path(platformdirs.user_config_dir("jobtui")) / "config.toml"


def load(
    flags: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> ResolvedConfig:
    """Resolve settings from flags (``None`` = not given), environment and the config file."""
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    env = os.environ if env is None else env
    warnings: list[str] = []
    path, explicit = _config_path(flags, env)
    document = _read_file(path, explicit, warnings)
    profile = str(flags.get("profile") or env.get("JOBTUI_PROFILE") or DEFAULT_PROFILE)
    named = "profile" in flags or bool(env.get("JOBTUI_PROFILE"))
    file_values = _profile_values(document, profile, named, path)
    env_values = {key: env[var] for var, key in ENV_KEYS.items() if env.get(var)}
    flag_values = {k: v for k, v in flags.items() if k in KEYS}
    merged = _merge(file_values, env_values, flag_values)
    settings, interval = _build(merged, path, warnings)
    where = f" ({path})" if path else ""
    readonly = read_only(merged.get("readonly"), where)
    get = _Getter(merged, where)
    return ResolvedConfig(
        settings,
        interval,
        profile,
        path,
        tuple(warnings),
        _read_only_cause(flag_values, env_values) if readonly else None,
        wall_failure_window=get.duration("wall_failure_window"),
        wall_failed_cards=get.whole("wall_failed_cards", maximum=MAX_WALL_FAILED_CARDS),
    )


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


def read_only(value: Any, where: str = "") -> bool:
    """``readonly``: a boolean in the file or from ``--readonly``, a word in ``JOBTUI_READONLY``."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ConfigError(f"readonly must be true or false{where}")


def _read_only_cause(flags: Mapping[str, Any], env: Mapping[str, Any]) -> ReadOnly:
    """The layer whose ``readonly`` won the merge: the flag, else the variable, else the file."""
    if "readonly" in flags:
        return ReadOnly.FLAG
    return ReadOnly.ENV if "readonly" in env else ReadOnly.PROFILE


def _config_path(flags: Mapping[str, Any], env: Mapping[str, str]) -> tuple[Path | None, bool]:
    given = flags.get("config") or env.get("JOBTUI_CONFIG")
    if given:
        return Path(str(given)).expanduser(), True
    path = default_config_path(env)
    return (path, False) if path.is_file() else (None, False)


def _read_file(path: Path | None, explicit: bool, warnings: list[str]) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if _holds_secret(document) and _group_or_world_readable(path):
        warnings.append(
            f"config file {path} holds secrets and is readable by group/others; "
            f"run: chmod 600 {path}"
        )
    return document


def _holds_secret(document: Mapping[str, Any]) -> bool:
    tables = [document, *_profiles(document, None).values()]
    return any(key in table for table in tables for key in SECRET_KEYS)


def _group_or_world_readable(path: Path) -> bool:
    try:
        return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)
    except OSError:
        return False


def _profiles(document: Mapping[str, Any], path: Path | None) -> dict[str, Any]:
    profiles = document.get("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(v, dict) for v in profiles.values()):
        if path is None:
            return {}
        raise ConfigError(f"{path}: 'profiles' must hold tables like [profiles.NAME]")
    return profiles


def _profile_values(
    document: Mapping[str, Any], profile: str, named: bool, path: Path | None
) -> dict[str, Any]:
    profiles = _profiles(document, path)
    shared = {k: v for k, v in document.items() if k != "profiles"}
    _check_keys(shared, path, "top level")
    if profile not in profiles:
        if named and profile != DEFAULT_PROFILE:
            known = ", ".join(sorted(profiles)) or "none"
            where = f"in {path}" if path else "(no config file)"
            raise ConfigError(f"unknown profile {profile!r} {where}; known profiles: {known}")
        return shared
    chosen = profiles[profile]
    _check_keys(chosen, path, f"profile {profile!r}")
    return _merge(shared, chosen)


def _check_keys(table: Mapping[str, Any], path: Path | None, where: str) -> None:
    for key in table:
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown key {key!r} at {where}")


def _merge(*layers: Mapping[str, Any]) -> dict[str, Any]:
    """Later layers win; the user identity (token, access token, username) moves as one.

    Otherwise a ``BK_USERNAME`` in the environment would silently lose to a
    ``bk_token`` left in the file, because a token outranks a username on the wire.
    """
    merged: dict[str, Any] = {}
    for layer in layers:
        if any(layer.get(key) for key in USER_KEYS):
            for key in USER_KEYS:
                merged.pop(key, None)
        merged.update(layer)
    return merged


def _build(
    values: Mapping[str, Any], path: Path | None, warnings: list[str]
) -> tuple[ConnectionSettings, float]:
    where = f" ({path})" if path else ""
    get = _Getter(values, where)
    url = _url(get.text("url"), where)
    family = _choice(ApiFamily, get.text("api") or "v3", "api", where)
    scope_type = _choice(ScopeType, get.text("scope_type") or "biz", "scope_type", where)
    scope_id = get.scope_id()
    credentials = _credentials(get, where)
    timeout = get.number("timeout", 10.0, minimum=MIN_TIMEOUT, maximum=MAX_TIMEOUT)
    interval = get.number("interval", DEFAULT_INTERVAL, minimum=MIN_INTERVAL, maximum=MAX_INTERVAL)
    timezone = _timezone(get.text("timezone") or "Asia/Shanghai", where)
    verify = _verify(get, where, warnings)
    settings = ConnectionSettings(
        url=url,
        family=family,
        scope_type=scope_type,
        scope_id=scope_id,
        credentials=credentials,
        timeout=timeout,
        verify=verify,
        timezone=timezone,
    )
    return settings, interval


class _Getter:
    """Typed reads of merged values with messages that never echo a value."""

    def __init__(self, values: Mapping[str, Any], where: str) -> None:
        self.values = values
        self.where = where

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ConfigError(f"{key} must be a string{self.where}")
        return value.strip() or None

    def number(self, key: str, default: float, *, minimum: float, maximum: float = 86_400) -> float:
        value = self.values.get(key, default)
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise ConfigError(f"{key} must be a number of seconds{self.where}") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{key} must be a number of seconds{self.where}")
        if not minimum <= float(value) <= maximum:
            raise ConfigError(
                f"{key} must be between {minimum:g} and {maximum:g} seconds{self.where}"
            )
        return float(value)

    def duration(self, key: str) -> timedelta | None:
        """A time like ``30m``, ``2h`` or ``1d`` within the wall's window range; None: unset."""
        value = self.values.get(key)
        if value is None:
            return None
        match = _DURATION.match(value) if isinstance(value, str) else None
        if match is None:
            raise ConfigError(f"{key} must be a time like 30m, 2h or 1d{self.where}")
        seconds = float(match.group(1)) * _DURATION_UNIT[match.group(2).lower()]
        window = timedelta(seconds=seconds)
        if not MIN_WALL_WINDOW <= window <= MAX_WALL_WINDOW:
            raise ConfigError(f"{key} must be between 1m and 30d{self.where}")
        return window

    def whole(self, key: str, *, maximum: int) -> int | None:
        """A whole number from 0 to ``maximum``; None: unset."""
        value = self.values.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{key} must be a whole number{self.where}")
        if not 0 <= value <= maximum:
            raise ConfigError(f"{key} must be between 0 and {maximum}{self.where}")
        return value

    def flag(self, key: str) -> bool:
        value = self.values.get(key, False)
        if not isinstance(value, bool):
            raise ConfigError(f"{key} must be true or false{self.where}")
        return value

    def scope_id(self) -> str:
        value = self.values.get("scope_id")
        if isinstance(value, bool) or not isinstance(value, int | str | None):
            raise ConfigError(f"scope_id must be a number{self.where}")
        text = str(value).strip() if value is not None else ""
        if not text:
            raise ConfigError(
                "no scope id: use --scope-id, JOBTUI_SCOPE_ID or scope_id in the config file"
            )
        if not text.isdigit():
            raise ConfigError(f"scope_id must be a number{self.where}")
        return text


def _url(value: str | None, where: str) -> str:
    if not value:
        raise ConfigError("no bk-job URL: use --url, JOBTUI_URL or url in the config file")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(f"url must start with http:// or https:// and name a host{where}")
    if parts.username or parts.password:
        raise ConfigError(f"url must not carry a user or password{where}")
    return value.rstrip("/")


_E = TypeVar("_E", ApiFamily, ScopeType)


def _choice(enum: type[_E], value: str, key: str, where: str) -> _E:
    try:
        return enum(value.lower())
    except ValueError:
        allowed = "|".join(member.value for member in enum)
        raise ConfigError(f"{key} must be one of {allowed}, not {value[:20]!r}{where}") from None


def _credentials(get: _Getter, where: str) -> Credentials:
    app_code, app_secret = get.text("app_code"), get.text("app_secret")
    if not app_code or not app_secret:
        raise ConfigError(
            "no app credentials: set BK_APP_CODE and BK_APP_SECRET "
            "(or app_code and app_secret in the config file)"
        )
    users = {key: get.text(key) for key in USER_KEYS}
    if not any(users.values()):
        raise ConfigError(
            "no user identity: set one of BK_USERNAME, BK_TOKEN or BK_ACCESS_TOKEN "
            "(or username, bk_token or access_token in the config file)"
        )
    return Credentials(
        app_code=app_code,
        app_secret=app_secret,
        username=users["username"],
        bk_token=users["bk_token"],
        access_token=users["access_token"],
    )


def _timezone(value: str, where: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown timezone {value[:40]!r}{where}") from None
    return value


def _verify(get: _Getter, where: str, warnings: list[str]) -> bool | str:
    if get.flag("insecure"):
        warnings.append(
            "TLS certificate verification is OFF (--insecure): "
            "anyone on the network path can read and alter this session"
        )
        return False
    bundle = get.text("ca_bundle")
    if bundle is None:
        return True
    path = Path(bundle).expanduser()
    if not path.is_file():
        raise ConfigError(f"CA bundle {path} does not exist or is not a file{where}")
    return str(path)
