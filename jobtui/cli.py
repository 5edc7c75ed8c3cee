"""The ``jobtui`` command line: the one place wiring config → client → app (and the simulator).

Every failure ends as one ``jobtui: error: ...`` line on stderr and an exit
code from the table below, never a traceback (``JOBTUI_DEBUG=1`` shows one for
unexpected errors). Heavy modules (Textual, the client, the simulator) are
imported inside the commands so ``jobtui --help`` stays fast.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from jobtui import __version__
from jobtui.api.errors import ApiError, ConfigError
from jobtui.core.sanitize import safe_text
from jobtui.core.terminal_caps import wants_ascii

if TYPE_CHECKING:
    from datetime import datetime

    from jobtui.api.settings import ConnectionSettings
    from jobtui.config import ResolvedConfig
    from jobtui.core.audit import AuditContext
    from jobtui.core.options import WatchOptions
    from jobtui.core.readonly import ReadOnly
    from jobtui.sim.config import SimConfig
    from jobtui.tui.run_jobs import JobsOptions

EXIT_OK = 0
EXIT_JOB_FAILED = 1
EXIT_USAGE = 2
EXIT_API = 3
EXIT_NEEDS_PERSON = 4
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as shell tools report it

EXIT_TABLE = """\
exit codes:
  0    printed; the job succeeded (Success, Skipped, Ignore Error) or is still running
  1    the job failed (Failed, Terminated, Abnormal, Terminate Success, Abandoned, ...)
  2    usage or configuration error
  3    API or network error
  4    the job waits for a person (a confirmation or a manual rolling pause)
  70   unexpected internal error (rerun with JOBTUI_DEBUG=1 for a traceback)
  130  interrupted (Ctrl-C)"""

LIST_INTERVAL = 5.0  # seconds between job list refreshes (jobs --interval)
DEMO_APP_CODE = "jobtui-demo"
DEMO_APP_SECRET = "jobtui-demo-secret"  # only ever sent to the loopback simulator
DEMO_USERNAME = "demo"


class _Secrets:
    """Secrets met during this run, so that no error line can echo them."""

    values: tuple[str, ...] = ()

    @classmethod
    def redact(cls, text: str) -> str:
        for secret in cls.values:
            if len(secret) >= 3:
                text = text.replace(secret, "***")
        return text


# ---------------------------------------------------------------- argument types


MAX_ID = 2**63 - 1  # bk-job's ids are Java longs


def _whole(text: str) -> int:
    """``text`` as an int, or the usage error every whole-number option gives."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text[:20]!r}") from None


def _positive_int(text: str) -> int:
    value = _whole(text)
    if not 0 < value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"must be a positive whole number: {text[:20]}")
    return value


def _count(text: str) -> int:
    value = _whole(text)
    if not 0 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text[:20]}")
    return value


def _number(text: str, low: float, high: float, unit: str = "") -> float:
    """A finite number in ``low..high`` (NaN and infinities refused), or a usage error."""
    try:
        value = float(text)
    except ValueError:
        what = "a number of seconds" if unit else "a number"
        raise argparse.ArgumentTypeError(f"not {what}: {text[:20]!r}") from None
    if not low <= value <= high:  # also false for NaN
        raise argparse.ArgumentTypeError(f"must be {low:g}-{high:g}{unit}: {text[:20]}")
    return value


def _timeout(text: str) -> float:
    """Per-request timeout: the config file's ``timeout`` range, so flag and file agree."""
    from jobtui.config import MAX_TIMEOUT, MIN_TIMEOUT

    return _number(text, MIN_TIMEOUT, MAX_TIMEOUT, " seconds")


def _interval(text: str) -> float:
    """A poll period: refused outside the monitor's range, never clamped silently."""
    from jobtui.core.cadence import MAX_INTERVAL, MIN_INTERVAL

    return _number(text, MIN_INTERVAL, MAX_INTERVAL, " seconds")


INTERVAL_HELP = "poll period in seconds, 1-60 (default 2)"
TIMEOUT_HELP = "per request in seconds, 0.5-600 (default 10)"
MIN_SPEED, MAX_SPEED = 0.1, 10_000.0
MAX_HOSTS = 50_000  # the simulator's limit (SimConfig.validate)


def _speed(text: str) -> float:
    return _number(text, MIN_SPEED, MAX_SPEED)


def _hosts(text: str) -> int:
    value = _whole(text)
    if not 1 <= value <= MAX_HOSTS:
        raise argparse.ArgumentTypeError(f"must be 1-{MAX_HOSTS}: {value}")
    return value


def _scenario(text: str) -> str:
    """A scenario name, checked while parsing (before the terminal, the simulator)."""
    from jobtui.sim.config import SCENARIOS

    if text not in SCENARIOS:
        raise argparse.ArgumentTypeError(
            f"unknown scenario {text[:40]!r}; choose one of {', '.join(SCENARIOS)}"
        )
    return text


def _since(text: str) -> str:
    """``--since``: checked while parsing (before any terminal or server), kept as text."""
    from jobtui.core.joblist import parse_since

    try:
        parse_since(text)
    except ValueError as exc:
        message = str(exc).removeprefix(f"bad --since {text!r}: ").removeprefix("--since ")
        raise argparse.ArgumentTypeError(message) from None
    return text


def _job_statuses(text: str) -> str:
    from jobtui.core.joblist import parse_statuses

    try:
        parse_statuses(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _status_codes(text: str) -> tuple[int, ...]:
    codes = []
    for part in text.split(","):
        try:
            codes.append(int(part.strip()))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"host status codes are numbers like 9 or 104,103: {part[:20]!r}"
            ) from None
    return tuple(codes)


def _port(text: str) -> int:
    value = _whole(text)
    if not 0 <= value <= 65_535:
        raise argparse.ArgumentTypeError(f"must be 0-65535 (0: any free port): {value}")
    return value


# ---------------------------------------------------------------- parser


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keep the hand-made epilog layout (examples, exit-code table)."""


class UsageError(Exception):
    """A mistake in the command line: one line naming the command, a hint, exit 2."""

    def __init__(self, message: str, command: str | None = None) -> None:
        super().__init__(message)
        self.command = command

    @property
    def line(self) -> str:
        return f"{self.command}: {self}" if self.command else str(self)

    @property
    def hint(self) -> str:
        return f"run 'jobtui {self.command + ' ' if self.command else ''}--help' for usage"


class _Parser(argparse.ArgumentParser):
    """argparse without its usage block: every mistake is one ``jobtui: error:`` line.

    argparse prints the whole usage and prefixes the subcommand's prog
    (``jobtui demo: error:``), and reports a subcommand's unknown flags from the
    top-level parser, naming no command at all (``act --readonly``). Here each
    error becomes a UsageError naming the command it is about; ``main`` prints
    it with a ``--help`` hint, as gh and kubectl do.
    """

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("jobtui").strip() or None
        raise UsageError(message, command)


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """``parser.parse_args``, with a subcommand's unknown flags reported as that command's."""
    parsed, extras = parser.parse_known_args(argv)
    if extras:
        command = getattr(parsed, "command", None)
        raise UsageError(f"unrecognized arguments: {' '.join(extras)}", command)
    return parsed


def _connection_options() -> argparse.ArgumentParser:
    parent = _Parser(add_help=False)
    group = parent.add_argument_group("connection (flags > environment > config file)")
    group.add_argument("--url", help="gateway stage root (v3, v4) or PaaS root (jobv3, v2)")
    group.add_argument(
        "--api",
        choices=["v3", "v4", "jobv3", "v2"],
        help="API family (default v3; v4 for jobs whose targets are containers)",
    )
    group.add_argument("--scope-type", choices=["biz", "biz_set"], help="default biz")
    group.add_argument("--scope-id", metavar="ID", help="business (set) id")
    group.add_argument("--profile", metavar="NAME", help="[profiles.NAME] of the config file")
    group.add_argument("--config", metavar="PATH", help="config file (default: XDG location)")
    group.add_argument("--ca-bundle", metavar="PATH", help="CA certificates to trust")
    group.add_argument(
        "--insecure", action="store_true", default=None, help="do NOT verify TLS (warns)"
    )
    group.add_argument("--timeout", type=_timeout, metavar="S", help=TIMEOUT_HELP)
    return parent


def _sim_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scenario",
        type=_scenario,
        default="default",
        help="default, busy, scale, hostile, faults, containers (targets are containers: v4)",
    )
    parser.add_argument(
        "--speed",
        type=_speed,
        default=1.0,
        metavar="X",
        help=f"sim-time acceleration, {MIN_SPEED:g}-{MAX_SPEED:g} (default 1)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="N", help="random seed, any whole number (default 0)"
    )
    parser.add_argument(
        "--hosts",
        type=_hosts,
        metavar="N",
        help=f"hosts per step, 1-{MAX_HOSTS} (default: the scenario's)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full ``jobtui`` parser (public so tests and docs can inspect it).

    Its mistakes raise UsageError rather than exiting; ``parse`` also reports a
    subcommand's unknown flags as that command's.
    """
    parser = _Parser(
        prog="jobtui",
        description="Live terminal monitor for Tencent BlueKing JOB (bk-job) executions.",
        epilog="examples:\n  jobtui demo\n  jobtui watch 1001 --profile prod\n"
        "  jobtui status 1001 --json --wait\n\n"
        "Each command has --help; `jobtui status --help` lists the exit codes.",
        formatter_class=_Formatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"jobtui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_watch(commands)
    _add_jobs(commands)
    _add_status(commands)
    _add_act(commands)
    _add_sim(commands)
    _add_demo(commands)
    return parser


def _add_watch(commands: Any) -> None:
    watch = commands.add_parser(
        "watch",
        parents=[_connection_options()],
        help="watch a job instance live",
        description="Open the live monitor on one job instance.",
        epilog="examples:\n  jobtui watch 1001\n"
        "  jobtui watch 1001 --step 2002 --status 104,103 --bell\n"
        "  jobtui watch 1001 --profile prod --api jobv3",
        formatter_class=_Formatter,
        allow_abbrev=False,
    )
    watch.add_argument("job", type=_positive_int, metavar="JOB_INSTANCE_ID")
    watch.add_argument("--interval", type=_interval, metavar="S", help=INTERVAL_HELP)
    flt = watch.add_argument_group("step result filters")
    flt.add_argument("--step", type=_positive_int, metavar="STEP_INSTANCE_ID")
    flt.add_argument("--status", type=_status_codes, metavar="CODE[,CODE]", help="host status")
    flt.add_argument("--tag", help="exact result tag")
    flt.add_argument("--batch", type=_count, metavar="N", help="rolling batch, 1.., 0 = all")
    flt.add_argument("--search-ip", metavar="TEXT", help="substring of IP or IPv6")
    flt.add_argument("--keyword", metavar="TEXT", help="substring of the host log")
    flt.add_argument("--execute-count", type=_count, metavar="N", help="retry, 0.. (0 = first run)")
    _screen_options(watch)
    watch.set_defaults(handler=_cmd_watch)


def _screen_options(parser: argparse.ArgumentParser) -> None:
    """Options of every full-screen command."""
    parser.add_argument(
        "--follow-newest",
        action="store_true",
        help="when the job ends, switch to the newest running job of the scope",
    )
    parser.add_argument("--bell", action="store_true", help="ring the bell on transitions")
    parser.add_argument(
        "--notify", action="store_true", help="desktop notifications (OSC 9 / OSC 777)"
    )
    parser.add_argument("--ascii", action="store_true", help="plain ASCII glyphs")
    _readonly_option(parser)
    _save_dir_option(parser)


def _readonly_option(
    parser: argparse.ArgumentParser,
    also: str = "readonly = true in the profile, JOBTUI_READONLY=1",
) -> None:
    parser.add_argument(
        "--readonly",
        action="store_true",
        default=None,
        help=f"never send an operation (also: {also})",
    )


def _save_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--save-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where l / L save host logs (default $XDG_DATA_HOME/jobtui/logs, "
        "~/.local/share/jobtui/logs)",
    )


def _add_jobs(commands: Any) -> None:
    jobs = commands.add_parser(
        "jobs",
        parents=[_connection_options()],
        help="list the scope's recent jobs live; open any of them",
        description="The scope's recent job instances, newest first, refreshed live. "
        "Enter opens the live monitor, Escape comes back, w shows the wall of running jobs.",
        epilog="examples:\n  jobtui jobs\n  jobtui jobs --since 7d --status 4 --operator alice\n"
        "  jobtui jobs --follow-newest --notify    # a wall screen",
        formatter_class=_Formatter,
        allow_abbrev=False,
    )
    jobs.add_argument(
        "--since",
        type=_since,
        default="24h",
        help="window: 90m, 24h, 7d; more than 0, at most 30d (default 24h)",
    )
    jobs.add_argument(
        "--status",
        dest="status_codes",
        type=_job_statuses,
        metavar="STATUSES",
        help="job statuses by code or name, e.g. 2,4 or running,failed",
    )
    jobs.add_argument("--operator", metavar="NAME", help="exact operator")
    jobs.add_argument("--name", metavar="TEXT", help="part of the job name")
    jobs.add_argument(
        "--interval",
        dest="list_interval",
        type=_interval,
        metavar="S",
        help="refresh period of the list and the wall in seconds, 1-60 (default 5)",
    )
    # --watch-interval overrides the config file's `interval`: the monitors' poll period.
    jobs.add_argument(
        "--watch-interval",
        dest="interval",
        type=_interval,
        metavar="S",
        help="job status poll period of the monitors it opens, 1-60 s (default 2)",
    )
    _screen_options(jobs)
    jobs.set_defaults(handler=_cmd_jobs)


def _add_status(commands: Any) -> None:
    status = commands.add_parser(
        "status",
        parents=[_connection_options()],
        help="print a job's status (headless, for scripts)",
        description="Print a job and its steps with host counts, then exit with its state.",
        epilog="examples:\n  jobtui status 1001\n  jobtui status 1001 --json | jq .outcome\n"
        "  jobtui status 1001 --wait --interval 5 && echo deployed\n"
        "  jobtui status 1001 --failed   # failing hosts, last log lines\n\n" + EXIT_TABLE,
        formatter_class=_Formatter,
        allow_abbrev=False,
    )
    status.add_argument("job", type=_positive_int, metavar="JOB_INSTANCE_ID")
    status.add_argument("--json", action="store_true", help="one JSON document")
    status.add_argument(
        "--wait",
        action="store_true",
        help="poll until the job is done, printing a line per change",
    )
    status.add_argument(
        "--failed",
        action="store_true",
        help="also list the failing hosts of failed steps with their last log lines",
    )
    status.add_argument("--interval", type=_interval, metavar="S", help=INTERVAL_HELP)
    status.set_defaults(handler=_cmd_status)


ACT_EXIT_TABLE = """\
exit codes:
  0    bk-job accepted the operation (with --wait: as `jobtui status --wait`)
  2    usage or configuration error, read-only session, or not confirmed
  3    API or network error (a non-confirmer included; an unanswered operation
       is reported as unknown: check the job, it is never sent again)
  5    not allowed in the job's current state (by jobtui's check or bk-job's)"""


def _add_act(commands: Any) -> None:
    from jobtui.core.actions import ACTIONS

    names = ", ".join(ACTIONS)
    act = commands.add_parser(
        "act",
        parents=[_connection_options()],
        help="operate on a job: confirm, retry, ignore, skip, continue rolling, terminate",
        description="Send one operation to a job, as the bk-job web UI's step buttons do.\n"
        "The job is polled first; an action its state does not allow is refused.\n"
        "On a terminal you confirm; without one --yes is required. Nothing is ever\n"
        "retried; each operation sent is appended to the audit file (docs/operations.md).",
        epilog="actions: " + names + "\n\nexamples:\n  jobtui act 1001 confirm\n"
        "  jobtui act 1001 retry-failed --step 2002 --yes --wait\n"
        "  jobtui act 1001 terminate --profile prod\n\n" + ACT_EXIT_TABLE,
        formatter_class=_Formatter,
        allow_abbrev=False,
    )
    act.add_argument("job", type=_positive_int, metavar="JOB_INSTANCE_ID")
    act.add_argument("action", choices=list(ACTIONS), metavar="ACTION", help=names)
    act.add_argument(
        "--step",
        type=_positive_int,
        metavar="STEP_INSTANCE_ID",
        help="the step (default: the job's current step)",
    )
    act.add_argument("--yes", action="store_true", help="do not ask (required without a terminal)")
    act.add_argument(
        "--wait", action="store_true", help="then wait until the state moves and the job is done"
    )
    act.add_argument("--interval", type=_interval, metavar="S", help=INTERVAL_HELP)
    act.set_defaults(handler=_cmd_act)


def _add_sim(commands: Any) -> None:
    sim = commands.add_parser(
        "sim",
        help="run the built-in bk-job simulator",
        description="Serve a simulated bk-job (gateway v3 and v4, ESB jobv3 and v2) over HTTP.",
        epilog="examples:\n  jobtui sim\n  jobtui sim --port 9000 --scenario scale --hosts 5000\n"
        "  jobtui sim --once    # no new jobs after the scenario's",
        formatter_class=_Formatter,
        allow_abbrev=False,
    )
    sim.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    sim.add_argument(
        "--port", type=_port, default=8080, help="TCP port, 0-65535, 0 = any free (default 8080)"
    )
    sim.add_argument(
        "--once",
        action="store_true",
        help="run the scenario's jobs once; by default a new job starts 10-20 s after "
        "each ends, as in the demo (so jobs --follow-newest has something to follow)",
    )
    sim.add_argument(
        "--manual",
        action="store_true",
        help="nobody retries a failed step, confirms or continues rolling: you do "
        "(jobtui act, or a in the monitor)",
    )
    _sim_options(sim)
    sim.set_defaults(handler=_cmd_sim)


def _add_demo(commands: Any) -> None:
    demo = commands.add_parser(
        "demo",
        help="watch a simulated job (no server needed)",
        description="Start the simulator on loopback and open the monitor on its running job.",
        epilog="examples:\n  jobtui demo\n  jobtui demo --speed 5 --scenario hostile",
        formatter_class=_Formatter,
        allow_abbrev=False,
    )
    _sim_options(demo)
    demo.add_argument("--bell", action="store_true", help="ring the bell on transitions")
    demo.add_argument(
        "--notify", action="store_true", help="desktop notifications (OSC 9 / OSC 777)"
    )
    demo.add_argument("--ascii", action="store_true", help="plain ASCII glyphs")
    demo.add_argument(
        "--manual",
        action="store_true",
        help="the failed step, the confirmation step and rolling pauses wait for you "
        "(press a in the monitor)",
    )
    # the demo reads no config file (_demo_readonly): only the flag and the variable count
    _readonly_option(demo, also="JOBTUI_READONLY=1; the demo reads no config file")
    _save_dir_option(demo)
    demo.set_defaults(handler=_cmd_demo)


# ---------------------------------------------------------------- commands


def resolve(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> ResolvedConfig:
    """Configuration for a connecting command, with its warnings printed to stderr."""
    from jobtui import config

    flags = {
        key: getattr(args, key, None)
        for key in (
            "url",
            "api",
            "scope_type",
            "scope_id",
            "profile",
            "config",
            "ca_bundle",
            "insecure",
            "timeout",
            "interval",
            "readonly",
        )
    }
    resolved = config.load(flags, env)
    _Secrets.values = resolved.settings.credentials.secrets
    for warning in resolved.warnings:
        print(f"jobtui: warning: {warning}", file=sys.stderr)
    return resolved


def _plain_text_marks() -> None:
    """``status`` and ``act`` print untrusted names: ASCII marks where the terminal needs
    them (``TERM=linux``, ``LANG=C``), as the monitor draws them there."""
    from jobtui.core import sanitize

    sanitize.use_ascii(wants_ascii(os.environ))


def _cmd_status(args: argparse.Namespace) -> int:
    from jobtui.status import StatusOptions, run_status

    _plain_text_marks()
    resolved = resolve(args)
    options = StatusOptions(
        args.job,
        json=args.json,
        wait=args.wait,
        interval=resolved.interval,
        failed=args.failed,
    )
    return asyncio.run(run_status(resolved.settings, options))


def _cmd_act(args: argparse.Namespace) -> int:
    from jobtui.act import ActOptions, run_act

    _plain_text_marks()
    resolved = resolve(args)
    options = ActOptions(
        args.job,
        args.action,
        step_instance_id=args.step,
        yes=args.yes,
        wait=args.wait,
        interval=resolved.interval,
    )
    return asyncio.run(
        run_act(
            resolved.settings,
            options,
            audit=_audit(resolved.settings, resolved.profile),
            readonly=resolved.readonly,
        )
    )


def _audit(settings: ConnectionSettings, profile: str) -> AuditContext:
    from jobtui.core.audit import AuditContext

    return AuditContext.of(settings.credentials, profile, settings.url)


def _cmd_watch(args: argparse.Namespace) -> int:
    from jobtui.api.filters import StepFilter
    from jobtui.core.options import WatchOptions, default_save_dir

    resolved = resolve(args)
    _require_terminal()
    settings = resolved.settings
    options = WatchOptions(
        job_instance_id=args.job,
        interval=resolved.interval,
        step_instance_id=args.step,
        filter=StepFilter(
            execute_count=args.execute_count,
            batch=args.batch,
            statuses=args.status or (),
            tag=args.tag,
            search_ip=args.search_ip or None,
            keyword=args.keyword or None,
        ),
        bell=args.bell,
        ascii_only=_wants_ascii(args),
        title=_title(settings) + _read_only_mark(resolved.readonly),
        notify=args.notify,
        save_dir=args.save_dir or default_save_dir(),
        readonly=resolved.readonly,
        audit=_audit(settings, resolved.profile),
    )
    if args.follow_newest:
        jobs = _jobs_options(args, options, open_job=args.job, resolved=resolved)
        return _jobs_app(settings, jobs)
    return _monitor(settings, options)


def _cmd_jobs(args: argparse.Namespace) -> int:
    resolved = resolve(args)
    _require_terminal()
    settings = resolved.settings
    watch = _watch_defaults(settings, resolved.interval, _wants_ascii(args), args.bell)
    watch = replace(
        watch,
        readonly=resolved.readonly,
        audit=_audit(settings, resolved.profile),
        title=watch.title + _read_only_mark(resolved.readonly),
    )
    return _jobs_app(settings, _jobs_options(args, watch, open_job=None, resolved=resolved))


def _read_only_mark(readonly: ReadOnly | None) -> str:
    """Said in the header of a read-only session, so a wall screen shows it."""
    return " · read-only" if readonly is not None else ""


def _title(settings: ConnectionSettings) -> str:
    """The screen title: family and scope; v4 also says it shows only the latest run."""
    family = settings.family.value
    if family == "v4":  # no step-status API: no older retry, no single batch
        family = "v4 (latest run only)"
    return f"{family} · {settings.scope_type.value} {settings.scope_id}"


def _watch_defaults(
    settings: ConnectionSettings, interval: float, ascii_only: bool, bell: bool
) -> WatchOptions:
    from jobtui.core.options import WatchOptions

    return WatchOptions(
        job_instance_id=0,
        interval=interval,
        bell=bell,
        ascii_only=ascii_only,
        title=_title(settings),
    )


def _jobs_options(
    args: argparse.Namespace,
    watch: WatchOptions,
    *,
    open_job: int | None,
    resolved: ResolvedConfig | None = None,
) -> JobsOptions:
    """The job-list app's options from the flags (``jobs``, ``watch --follow-newest``, demo)
    and, for the wall, the config file (``resolved``; the demo reads none)."""
    from jobtui.core.joblist import WallPolicy, parse_since, parse_statuses
    from jobtui.tui.run_jobs import JobsOptions

    wall = WallPolicy()
    if resolved is not None and resolved.wall_failure_window is not None:
        wall = replace(wall, recent_failure=resolved.wall_failure_window)
    if resolved is not None and resolved.wall_failed_cards is not None:
        wall = replace(wall, max_failed=resolved.wall_failed_cards)

    try:
        since = parse_since(getattr(args, "since", None) or "24h")
        statuses = parse_statuses(getattr(args, "status_codes", None) or "")
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return JobsOptions(
        since=since,
        statuses=statuses,
        operator=getattr(args, "operator", None) or None,
        name=getattr(args, "name", None) or None,
        interval=getattr(args, "list_interval", None) or LIST_INTERVAL,
        follow_newest=bool(getattr(args, "follow_newest", False)),
        bell=watch.bell,
        notify=bool(getattr(args, "notify", False)),
        ascii_only=watch.ascii_only,
        title=watch.title,
        open_job=open_job,
        watch_interval=watch.interval,
        save_dir=getattr(args, "save_dir", None) or watch.save_dir,
        readonly=watch.readonly,
        audit=watch.audit,
        wall=wall,
    )


def _jobs_app(
    settings: ConnectionSettings,
    options: JobsOptions,
    clock: Callable[[], datetime] | None = None,
) -> int:
    from jobtui.api.factory import make_client
    from jobtui.tui.run_jobs import run_jobs

    return int(run_jobs(make_client(settings), options, clock))


def _cmd_sim(args: argparse.Namespace) -> int:
    from jobtui.sim.server import serve

    serve(_sim_config(args, demo_loop=not args.once), args.host, args.port)
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from datetime import datetime

    from jobtui.api.auth import Credentials
    from jobtui.api.models import ApiFamily, ScopeType
    from jobtui.api.settings import ConnectionSettings
    from jobtui.core.options import WatchOptions
    from jobtui.sim.server import start_in_thread

    config = _sim_config(args, demo_loop=True)  # the arguments first, then the terminal
    readonly = _demo_readonly(args)
    _require_terminal()
    running = start_in_thread(config, "127.0.0.1", 0)
    try:
        # Only gateway v4 can show container targets (v3 fails on them with 1240002).
        family = ApiFamily.V4 if config.scenario == "containers" else ApiFamily.V3
        settings = ConnectionSettings(
            url=running.url,
            family=family,
            scope_type=ScopeType(config.scope_type),
            scope_id=str(config.scope_id),
            credentials=Credentials(DEMO_APP_CODE, DEMO_APP_SECRET, username=DEMO_USERNAME),
        )
        options = WatchOptions(
            job_instance_id=running.app.world.demo_job_id(),
            interval=1.0,
            bell=args.bell,
            ascii_only=_wants_ascii(args),
            title=f"demo · {_title(settings)}{_read_only_mark(readonly)}",
            readonly=readonly,
            audit=_audit(settings, "demo"),
        )
        # The demo loop starts a new job after each one ends: follow it, never go stale.
        # Not with --manual: its failed step and pauses wait for the user to act, and
        # switching away from them would take the job out of the user's hands.
        args.follow_newest = not args.manual
        sim_clock = running.app.clock

        def simulated_now() -> datetime:
            """--speed 3: durations and elapsed times in the simulator's time, as its stamps."""
            return datetime.fromtimestamp(sim_clock.now()).astimezone()

        jobs = _jobs_options(args, options, open_job=options.job_instance_id)
        return _jobs_app(settings, jobs, simulated_now)
    finally:
        running.stop()


def _demo_readonly(args: argparse.Namespace) -> ReadOnly | None:
    """The demo reads no config file: only the flag, then the variable, can make it read-only."""
    from jobtui.config import read_only
    from jobtui.core.readonly import ReadOnly

    if args.readonly:
        return ReadOnly.FLAG
    if read_only(os.environ.get("JOBTUI_READONLY"), " (JOBTUI_READONLY)"):
        return ReadOnly.ENV
    return None


def _sim_config(args: argparse.Namespace, *, demo_loop: bool) -> SimConfig:
    from jobtui.sim.config import HUMAN_RETRY_PAUSE, SimConfig

    config = SimConfig(
        retry_pause=HUMAN_RETRY_PAUSE,
        scenario=args.scenario,
        speed=args.speed,
        seed=args.seed,
        hosts=args.hosts,
        demo_loop=demo_loop,
        manual=bool(getattr(args, "manual", False)),
    )
    try:
        config.validate()
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return config


def _monitor(settings: ConnectionSettings, options: WatchOptions) -> int:
    from jobtui.api.factory import make_client
    from jobtui.tui.app import run_monitor

    return int(run_monitor(make_client(settings), options))


def _require_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise ConfigError("the live monitor needs a terminal; for scripts use: jobtui status")


def _wants_ascii(args: argparse.Namespace) -> bool:
    return bool(args.ascii) or wants_ascii(os.environ)


# ---------------------------------------------------------------- main


def _error(message: str) -> None:
    line = safe_text(_Secrets.redact(" ".join(message.split())), max_len=500)
    print(f"jobtui: error: {line}", file=sys.stderr)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jobtui`` console script; returns the exit code."""
    parser = build_parser()
    try:
        args = parse(parser, argv)
    except UsageError as exc:
        _error(exc.line)
        print(exc.hint, file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exit_:  # --help, --version
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        # Plain `jobtui` opens the job list of the configured scope (README, docs/cli.md).
        missing = _not_configured()
        if missing is not None:
            _error(missing)
            return EXIT_USAGE
        args = parse(parser, ["jobs"])
        handler = _cmd_jobs
    code = _run(handler, args)
    if argv is None and handler in (_cmd_watch, _cmd_jobs, _cmd_demo):
        _leave_now(code)
    return code


_NOT_CONFIGURED = (
    "no server configured: set url, scope_id and credentials in {path} "
    "(docs/configuration.md), pass --url and --scope-id to a command "
    "(jobtui jobs --url URL --scope-id ID), or try 'jobtui demo'"
)


def _leave_now(code: int) -> None:
    """End the program now that its screen is gone, skipping the interpreter's teardown.

    Freeing every object of a monitor (the screens, a demo's simulated world)
    took 0.3-0.6 s on a loaded machine after the terminal was already back: a
    quit should be instant (issue 15). Only the real program does this (``argv``
    is None); tests calling ``main`` in-process get the code back as usual.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _not_configured() -> str | None:
    """Why plain ``jobtui`` cannot open a job list, or None when it can.

    With no config file and no ``JOBTUI_URL`` / ``JOBTUI_SCOPE_ID``, the user
    has configured nothing: say what to do. A config file (or those variables)
    that exists but is incomplete or broken gets its own message (bad TOML, a
    wrong key, no credentials): its user meant to be configured and needs it.
    """
    from jobtui import config

    path = config.default_config_path(os.environ)
    try:
        config.load({})
    except ConfigError as exc:
        tried = any(
            os.environ.get(var) for var in ("JOBTUI_CONFIG", "JOBTUI_URL", "JOBTUI_SCOPE_ID")
        )
        if tried or path.is_file():
            return str(exc)
        return _NOT_CONFIGURED.format(path=_home_relative(path))
    except OSError as exc:
        return str(exc)
    return None


def _home_relative(path: Path) -> str:
    """``~/.config/jobtui/config.toml`` rather than the expanded home directory."""
    with contextlib.suppress(ValueError, RuntimeError):
        return "~/" + str(path.relative_to(Path.home()))
    return str(path)


def _run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except ConfigError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except ApiError as exc:
        _error(str(exc))
        return EXIT_API
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `jobtui status | head`: the reader left; stay quiet
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # e.g. the simulator's port is taken
        _error(str(exc))
        return EXIT_USAGE
    except Exception as exc:
        if os.environ.get("JOBTUI_DEBUG"):
            print(_Secrets.redact(traceback.format_exc()), end="", file=sys.stderr)
        _error(f"unexpected {type(exc).__name__}: {exc} (rerun with JOBTUI_DEBUG=1 for details)")
        return EXIT_INTERNAL
