"""Run the benchmark suite against the built-in simulator and print a table.

    python benchmarks/run.py              # every measure, full size (~10 minutes)
    python benchmarks/run.py --only 3,5   # some of them
    python benchmarks/run.py --smoke      # tiny sizes, < 60 s, never judges (CI)
    python benchmarks/run.py --json out.json

Exit status: 0 unless a measure crashed (a MISS is a finding, not a failure).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Result

Measure = Callable[[bool], list[Result]]


def _m1(smoke: bool) -> list[Result]:
    from benchmarks.proc_measures import SMOKE_SIZES, Sizes, idle_cpu

    return [idle_cpu(SMOKE_SIZES if smoke else Sizes())]


def _m2(smoke: bool) -> list[Result]:
    from benchmarks.proc_measures import SMOKE_SIZES, Sizes, running_job

    return running_job(SMOKE_SIZES if smoke else Sizes(), hosts=1_000 if smoke else 10_000)


def _m3(smoke: bool) -> list[Result]:
    from benchmarks.widget_measures import refresh_cost

    return [asyncio.run(refresh_cost(2 if smoke else 15, hosts=1_000 if smoke else 10_000))]


def _m4(smoke: bool) -> list[Result]:
    from benchmarks.widget_measures import first_paint

    return [asyncio.run(first_paint(1 if smoke else 5, hosts=500 if smoke else 10_000))]


def _m5(smoke: bool) -> list[Result]:
    from benchmarks.widget_measures import log_refresh

    sizes = {"big": 200_000, "small": 20_000} if smoke else {}
    return [asyncio.run(log_refresh(2 if smoke else 15, **sizes))]


def _m6(smoke: bool) -> list[Result]:
    from benchmarks.toolong_measure import open_and_search

    return [open_and_search(smoke)]


def _m7(smoke: bool) -> list[Result]:
    from benchmarks.proc_measures import SMOKE_SIZES, Sizes, startup

    return [startup(SMOKE_SIZES if smoke else Sizes(), smoke)]


#: Timed against a simulator served from this process: run in a fresh one. After
#: measures 3-5 had filled this process's heap (10,000-host answers, 5 MB logs),
#: the simulator thread answered the 5 MB log more slowly (its garbage collections
#: walk that heap) and measure 6 read 1.07-1.08x toolong against 1.00-1.03x alone,
#: twice each (`--only 3,4,5,6` against `--only 6`, 09:50 UTC on 2026-11-29).
FRESH = frozenset({"6", "7"})


def fresh(key: str, smoke: bool) -> list[Result]:
    """Measure ``key`` in a new process of this script: what came before cannot weigh on it."""
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "results.json"
        command = [sys.executable, __file__, "--only", key, "--json", str(out), "--in-process"]
        flags = ["--smoke"] if smoke else []
        # its table goes nowhere (the rows come back as JSON); its errors to stderr
        done = subprocess.run([*command, *flags], check=False, stdout=subprocess.DEVNULL)
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"measure {key} in a fresh process exited {done.returncode}")
        return [Result(**row) for row in json.loads(out.read_text())["results"]]


def _m8(smoke: bool) -> list[Result]:
    from benchmarks.app_measures import memory_growth

    return [asyncio.run(memory_growth(5 if smoke else 5_000, hosts=1_000 if smoke else 10_000))]


def _m10(smoke: bool) -> list[Result]:
    from benchmarks.app_measures import requests_per_refresh

    return [asyncio.run(requests_per_refresh(2 if smoke else 20, hosts=50_000))]


def _m11(smoke: bool) -> list[Result]:
    from benchmarks.freshness import freshness

    return freshness(smoke)


# 9 and 8's absolute RSS come from the same process run as 2.
MEASURES: dict[str, Measure] = {
    "1": _m1,
    "2": _m2,
    "3": _m3,
    "4": _m4,
    "5": _m5,
    "6": _m6,
    "7": _m7,
    "8": _m8,
    "10": _m10,
    "11": _m11,
}
ALIASES = {"9": "2"}


def _fmt(value: float | None, digits: int = 3) -> str:
    if value is None or value != value:
        return "-"
    return f"{value:.{digits}g}" if abs(value) < 1000 else f"{value:.0f}"


def table(results: list[Result], smoke: bool) -> str:
    head = ("#", "measure", "figure", "reference", "ratio", "target", "result")
    rows = [
        (
            r.number,
            r.name,
            f"{_fmt(r.figure)} {r.unit}",
            _fmt(r.reference),
            "-" if r.ratio is None else f"{r.ratio:.2f}x",
            r.target,
            "smoke" if smoke and r.ok is not None else r.verdict,
        )
        for r in results
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    header = "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))
    notes = [f"  {r.number}: {r.note}" for r in results if r.note]
    return "\n".join([header, "-" * len(header), *lines, "", "notes:", *notes])


def _select(only: str | None) -> list[str]:
    if not only:
        return list(MEASURES)
    wanted: list[str] = []
    for item in only.split(","):
        key = ALIASES.get(item.strip(), item.strip())
        if key not in MEASURES:
            raise SystemExit(f"run.py: unknown measure {item!r}; known: 1-11")
        if key not in wanted:
            wanted.append(key)
    return wanted


def compile_package() -> None:
    """Byte-compile jobtui before timing its start-up (measures 6 and 7).

    A pip-installed package (and toolong's venv, the reference) has its bytecode
    compiled at install time; an editable checkout has not, and with
    ``PYTHONDONTWRITEBYTECODE`` set (as in CI) every start would compile all of
    jobtui again, which no user installation does.
    """
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "jobtui"), quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="jobtui benchmark suite (issue 6)")
    parser.add_argument("--only", help="comma-separated measure numbers, e.g. 3,5")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes; does not judge")
    parser.add_argument("--json", type=Path, help="also save the results as JSON")
    # set by fresh(): this process is the fresh one, measure here
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    results: list[Result] = []
    crashed = False
    started = time.perf_counter()
    compile_package()
    for key in _select(args.only):
        t0 = time.perf_counter()
        try:
            if key in FRESH and not args.in_process:
                found = fresh(key, args.smoke)
            else:
                found = MEASURES[key](args.smoke)
        except Exception as error:
            crashed = True
            traceback.print_exc()
            found = [Result(key, "crashed", None, "", "", False, note=f"{error!r}")]
        results.extend(found)
        print(f"measure {key}: done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    print(table(results, args.smoke))
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"\n{when}; {platform.python_version()}; {platform.machine()}; "
        f"total {time.perf_counter() - started:.0f} s{'; smoke' if args.smoke else ''}"
    )
    if args.json:
        doc = {"date": when, "smoke": args.smoke, "results": [asdict(r) for r in results]}
        args.json.write_text(json.dumps(doc, indent=2, default=str))
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
