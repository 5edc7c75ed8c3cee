"""Configuration precedence, profiles, file checks and their one-line messages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jobtui.api.errors import ConfigError
from jobtui.api.models import ApiFamily, ScopeType
from jobtui.config import default_config_path, load

CANARY = "canary-s3cret-XYZZY"

BASE_ENV = {
    "BK_APP_CODE": "env-app",
    "BK_APP_SECRET": CANARY,
    "BK_USERNAME": "alice",
    "JOBTUI_URL": "https://env.example.com",
    "JOBTUI_SCOPE_ID": "7",
}


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """An environment whose XDG config dir is empty and private to the test."""
    return {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}


def test_defaults_from_environment_only(home: dict[str, str]) -> None:
    resolved = load({}, {**home, **BASE_ENV})
    s = resolved.settings
    assert s.url == "https://env.example.com"
    assert s.family is ApiFamily.V3
    assert s.scope_type is ScopeType.BIZ
    assert s.scope_id == "7"
    assert s.credentials.app_code == "env-app"
    assert s.credentials.username == "alice"
    assert s.verify is True
    assert s.timeout == 10.0
    assert resolved.interval == 2.0
    assert resolved.path is None
    assert resolved.warnings == ()


def test_precedence_flags_over_env_over_file(tmp_path: Path, home: dict[str, str]) -> None:
    cfg = write(
        tmp_path / "c.toml",
        'url = "https://file.example.com"\napi = "v2"\nscope_id = 1\n'
        'timeout = 5\ninterval = 9\napp_code = "file-app"\napp_secret = "x"\n'
        'username = "bob"\nscope_type = "biz_set"\n',
    )
    env = {**home, "JOBTUI_CONFIG": str(cfg)}
    from_file = load({}, env)
    assert from_file.settings.url == "https://file.example.com"
    assert from_file.settings.family is ApiFamily.V2
    assert from_file.settings.scope_type is ScopeType.BIZ_SET
    assert from_file.settings.scope_id == "1"
    assert from_file.settings.timeout == 5.0
    assert from_file.interval == 9.0

    env_over = load({}, {**env, "JOBTUI_URL": "https://env.example.com", "JOBTUI_API": "jobv3"})
    assert env_over.settings.url == "https://env.example.com"
    assert env_over.settings.family is ApiFamily.JOBV3
    assert env_over.settings.credentials.app_code == "file-app"

    flags = {"url": "https://flag.example.com", "api": "v3", "interval": 3.0, "timeout": None}
    flag_over = load(flags, {**env, "JOBTUI_URL": "https://env.example.com"})
    assert flag_over.settings.url == "https://flag.example.com"
    assert flag_over.settings.family is ApiFamily.V3
    assert flag_over.interval == 3.0
    assert flag_over.settings.timeout == 5.0  # None means "flag not given"


def test_xdg_default_location_is_read(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert default_config_path(env) == tmp_path / "jobtui" / "config.toml"
    (tmp_path / "jobtui").mkdir()
    write(tmp_path / "jobtui" / "config.toml", 'url = "https://xdg.example.com"\nscope_id = "3"\n')
    resolved = load({}, {**env, "BK_APP_CODE": "a", "BK_APP_SECRET": "b", "BK_TOKEN": "t"})
    assert resolved.settings.url == "https://xdg.example.com"
    assert resolved.path == tmp_path / "jobtui" / "config.toml"


PROFILES = """
url = "https://shared.example.com"
app_code = "app"
app_secret = "secret"
username = "ops"

[profiles.default]
scope_id = 2

[profiles.prod]
url = "https://prod.example.com"
scope_id = 100
api = "jobv3"
"""


def test_profiles_default_and_named(tmp_path: Path, home: dict[str, str]) -> None:
    env = {**home, "JOBTUI_CONFIG": str(write(tmp_path / "c.toml", PROFILES))}
    default = load({}, env)
    assert default.profile == "default"
    assert default.settings.url == "https://shared.example.com"
    assert default.settings.scope_id == "2"
    prod = load({"profile": "prod"}, env)
    assert prod.settings.url == "https://prod.example.com"
    assert prod.settings.scope_id == "100"
    assert prod.settings.family is ApiFamily.JOBV3
    by_env = load({}, {**env, "JOBTUI_PROFILE": "prod"})
    assert by_env.settings.scope_id == "100"


def test_unknown_profile_names_known_ones(tmp_path: Path, home: dict[str, str]) -> None:
    env = {**home, "JOBTUI_CONFIG": str(write(tmp_path / "c.toml", PROFILES))}
    with pytest.raises(ConfigError) as info:
        load({"profile": "staging"}, env)
    message = str(info.value)
    assert "'staging'" in message and "default, prod" in message
    assert "\n" not in message


def test_user_identity_moves_as_one(tmp_path: Path, home: dict[str, str]) -> None:
    cfg = write(
        tmp_path / "c.toml",
        'url = "https://x.example.com"\nscope_id = 2\napp_code = "a"\napp_secret = "b"\n'
        'access_token = "file-token"\n',
    )
    resolved = load({}, {**home, "JOBTUI_CONFIG": str(cfg), "BK_USERNAME": "carol"})
    creds = resolved.settings.credentials
    assert creds.username == "carol"
    assert creds.access_token is None  # the file's token no longer outranks the env user


def test_bad_toml_names_file_and_line(tmp_path: Path, home: dict[str, str]) -> None:
    cfg = write(tmp_path / "bad.toml", 'url = "https://x"\n\nscope_id = = 3\n')
    with pytest.raises(ConfigError) as info:
        load({}, {**home, **BASE_ENV, "JOBTUI_CONFIG": str(cfg)})
    message = str(info.value)
    assert str(cfg) in message and "line 3" in message


def test_missing_explicit_config_is_an_error(tmp_path: Path, home: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load({"config": str(tmp_path / "nope.toml")}, {**home, **BASE_ENV})


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('api = "v9"', "api must be one of v3|v4|jobv3|v2"),
        ('scope_type = "team"', "scope_type must be one of biz|biz_set"),
        ('timeout = "soon"', "timeout must be a number"),
        ("timeout = 0", "timeout must be between"),
        ('timezone = "Mars/Olympus"', "unknown timezone"),
        ("insecure = 1", "insecure must be true or false"),
        ('colour = "red"', "unknown key 'colour'"),
        ('scope_id = "abc"', "scope_id must be a number"),
        ('url = "ftp://x"', "url must start with http"),
        ("profiles = 3", "'profiles' must hold tables"),
        ('wall_failure_window = "soon"', "wall_failure_window must be a time like 30m, 2h or 1d"),
        ("wall_failure_window = 30", "wall_failure_window must be a time like 30m"),
        ('wall_failure_window = "40d"', "wall_failure_window must be between 1m and 30d"),
        ('wall_failure_window = "0m"', "wall_failure_window must be between 1m and 30d"),
        ("wall_failed_cards = 49", "wall_failed_cards must be between 0 and 48"),
        ("wall_failed_cards = -1", "wall_failed_cards must be between 0 and 48"),
        ('wall_failed_cards = "six"', "wall_failed_cards must be a whole number"),
        ("wall_failed_cards = 2.5", "wall_failed_cards must be a whole number"),
    ],
)
def test_bad_values_are_one_clear_line(
    tmp_path: Path, home: dict[str, str], text: str, fragment: str
) -> None:
    key = text.split("=")[0].strip()
    base = {"url": '"https://file.example.com"', "scope_id": "2", "app_secret": '"s"'}
    lines = [f"{k} = {v}" for k, v in base.items() if k != key]
    cfg = write(tmp_path / "c.toml", text + "\n" + "\n".join(lines) + "\n")
    env = {**home, "BK_APP_CODE": "a", "BK_USERNAME": "u", "JOBTUI_CONFIG": str(cfg)}
    with pytest.raises(ConfigError) as info:
        load({}, env)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message


def test_secret_values_never_echoed_in_errors(tmp_path: Path, home: dict[str, str]) -> None:
    cfg = write(tmp_path / "c.toml", f"app_secret = 12345\nbk_token = {{ v = '{CANARY}' }}\n")
    with pytest.raises(ConfigError) as info:
        load({}, {**home, **BASE_ENV, "BK_APP_SECRET": "", "JOBTUI_CONFIG": str(cfg)})
    assert "12345" not in str(info.value)
    assert CANARY not in str(info.value)
    assert "app_secret must be a string" in str(info.value)


@pytest.mark.parametrize(
    ("env_change", "fragment"),
    [
        ({"JOBTUI_URL": ""}, "no bk-job URL"),
        ({"JOBTUI_SCOPE_ID": ""}, "no scope id"),
        ({"BK_APP_SECRET": ""}, "no app credentials"),
        ({"BK_USERNAME": ""}, "no user identity"),
    ],
)
def test_missing_required_values(
    home: dict[str, str], env_change: dict[str, str], fragment: str
) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load({}, {**home, **BASE_ENV, **env_change})


def test_world_readable_secret_file_warns_without_the_secret(
    tmp_path: Path, home: dict[str, str]
) -> None:
    cfg = write(tmp_path / "c.toml", f'app_secret = "{CANARY}"\n', mode=0o644)
    resolved = load({}, {**home, **BASE_ENV, "JOBTUI_CONFIG": str(cfg)})
    assert len(resolved.warnings) == 1
    warning = resolved.warnings[0]
    assert str(cfg) in warning and "chmod 600" in warning
    assert CANARY not in warning


def test_private_or_secret_free_files_do_not_warn(tmp_path: Path, home: dict[str, str]) -> None:
    private = write(tmp_path / "p.toml", f'app_secret = "{CANARY}"\n', mode=0o600)
    public = write(tmp_path / "q.toml", 'url = "https://x.example.com"\n', mode=0o644)
    for cfg in (private, public):
        assert load({}, {**home, **BASE_ENV, "JOBTUI_CONFIG": str(cfg)}).warnings == ()


def test_secret_in_a_profile_counts_too(tmp_path: Path, home: dict[str, str]) -> None:
    cfg = write(tmp_path / "c.toml", '[profiles.x]\nbk_token = "tok"\n', mode=0o640)
    assert load({}, {**home, **BASE_ENV, "JOBTUI_CONFIG": str(cfg)}).warnings


def test_insecure_warns_and_disables_verification(home: dict[str, str]) -> None:
    resolved = load({"insecure": True}, {**home, **BASE_ENV})
    assert resolved.settings.verify is False
    assert any("verification is OFF" in w for w in resolved.warnings)


def test_ca_bundle_must_exist(tmp_path: Path, home: dict[str, str]) -> None:
    bundle = write(tmp_path / "ca.pem", "-----BEGIN CERTIFICATE-----\n")
    assert load({"ca_bundle": str(bundle)}, {**home, **BASE_ENV}).settings.verify == str(bundle)
    with pytest.raises(ConfigError, match=r"CA bundle .* does not exist"):
        load({"ca_bundle": str(tmp_path / "missing.pem")}, {**home, **BASE_ENV})


def test_repr_of_resolved_config_hides_secrets(home: dict[str, str]) -> None:
    resolved = load({}, {**home, **BASE_ENV, "BK_TOKEN": "tok-" + CANARY})
    assert CANARY not in repr(resolved)
    assert CANARY not in str(resolved.settings)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable files")
def test_unreadable_file_is_a_clear_error(tmp_path: Path, home: dict[str, str]) -> None:
    cfg = write(tmp_path / "c.toml", 'url = "https://x"\n', mode=0o000)
    with pytest.raises(ConfigError, match="cannot read config file"):
        load({}, {**home, **BASE_ENV, "JOBTUI_CONFIG": str(cfg)})


def test_the_walls_window_and_failed_cards_from_the_file_and_a_profile(
    tmp_path: Path, home: dict[str, str]
) -> None:
    from datetime import timedelta

    from jobtui.config import MAX_WALL_FAILED_CARDS
    from jobtui.core.joblist import WallPolicy

    cfg = write(
        tmp_path / "c.toml",
        'wall_failure_window = "2h"\nwall_failed_cards = 3\n'
        '[profiles.night]\nwall_failure_window = "1.5d"\nwall_failed_cards = 0\n',
    )
    env = {**home, **BASE_ENV, "JOBTUI_CONFIG": str(cfg)}
    top = load({}, env)
    assert (top.wall_failure_window, top.wall_failed_cards) == (timedelta(hours=2), 3)
    night = load({"profile": "night"}, env)
    assert (night.wall_failure_window, night.wall_failed_cards) == (timedelta(hours=36), 0)
    unset = load({}, {**home, **BASE_ENV})
    assert (unset.wall_failure_window, unset.wall_failed_cards) == (None, None)
    assert WallPolicy().limit == MAX_WALL_FAILED_CARDS  # every card the wall fetches
