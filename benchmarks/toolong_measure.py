"""Measure 6: open a 5 MB log and search it, whole process, jobtui versus toolong.

jobtui: `jobtui watch` on a finished scale-scenario job whose one host (index 7)
has a log at the 5 MB cap, preselected with ``--search-ip``; toolong: ``tl FILE``
on the same text saved to a file. Both run in a pty at 160x48. Each time is
process start → the log's first screen → ctrl+f, the term, enter → the match
shown. Each program runs as its users run it: toolong from its own virtualenv
(it pins an older Textual), jobtui from a virtualenv holding the working tree
(``benchmarks/installed.py``). Nine rounds, alternating: on two shared cores one
start can be 0.2 s off its neighbours, and five rounds let that move the ratio
by 0.1.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from benchmarks.common import PtyProcess, Result, child_env, med, watch_argv
from benchmarks.installed import installed_jobtui, user_env
from jobtui.sim.config import SimConfig
from jobtui.sim.server import start_in_thread

WORK = Path("/tmp/jobtui-bench")
TOOLONG_VENV = WORK / "toolong-venv"
AUTH = json.dumps({"bk_app_code": "bench", "bk_app_secret": "bench", "bk_username": "admin"})
TERM = "Starting step"  # once, in the first line: a whole-log scan finds one match
FIRST_SCREEN = "payload chunk"


def _toolong() -> Path | None:
    """The `tl` executable, installing toolong into its own venv on first use."""
    tl = TOOLONG_VENV / "bin" / "tl"
    if tl.exists():
        return tl
    try:
        subprocess.run([sys.executable, "-m", "venv", str(TOOLONG_VENV)], check=True)
        subprocess.run(
            [str(TOOLONG_VENV / "bin" / "pip"), "install", "-q", "toolong"],
            check=True,
            timeout=300,
        )
    except (subprocess.SubprocessError, OSError):
        return None
    return tl if tl.exists() else None


def _fetch_log(url: str, job_id: int, step_id: int) -> str:
    params: dict[str, str | int] = {
        "bk_scope_type": "biz",
        "bk_scope_id": "2",
        "job_instance_id": job_id,
        "step_instance_id": step_id,
        "bk_host_id": 1001 + 7,
    }
    response = httpx.get(
        f"{url}/api/v3/get_job_instance_ip_log",
        params=params,
        headers={"X-Bkapi-Authorization": AUTH},
        timeout=60,
    )
    response.raise_for_status()
    return str(response.json()["data"]["log_content"])


def _run(proc: PtyProcess, search: list[bytes], done: re.Pattern[bytes] | None) -> float | None:
    """Start → first screen → search keys → match marker (or, without one, the last output
    before 0.5 s of quiet); None when a stage times out."""
    try:
        if proc.wait_text(FIRST_SCREEN, 60) is None:
            return None
        proc.quiet(0.3, 10)
        proc.mark()
        for keys in search:
            proc.send(keys)
            time.sleep(0.05)
        if done is not None:
            return proc.wait_for(lambda out: done.search(out) is not None, 60)
        proc.quiet(0.5, 60)
        return proc.last_write - proc.started
    finally:
        proc.close()


def open_and_search(smoke: bool) -> Result:
    tl = None if smoke else _toolong()
    program = None if smoke else installed_jobtui()
    sim = start_in_thread(SimConfig(scenario="scale", hosts=20))
    try:
        job_id = sim.app.world.finished_job_ids(3)[0]
        job = sim.app.world.job(job_id)
        assert job is not None
        # The monitor follows the last started step of a finished job (Verify).
        step_id = job.steps[-1].spec.step_instance_id
        text = _fetch_log(sim.url, job_id, step_id)
        WORK.mkdir(parents=True, exist_ok=True)
        path = WORK / "big.log"
        path.write_text(text)
        ours_argv = watch_argv(sim.url, job_id, "--search-ip", "10.1.0.8", program=program)
        ours_env = user_env(child_env()) if program is not None else child_env()
        # jobtui: ctrl+f (from any pane it focuses the log and opens find), term, enter;
        # the title shows “term” i/N once the search has run over the whole log.
        ours_keys = [b"\x06", TERM.encode(), b"\r"]
        ours_done = re.compile(("\u201c" + TERM + "\u201d \\d+/\\d+").encode())
        theirs_keys = [b"\x06", TERM.encode(), b"\r"]
        theirs_done = None  # toolong shows no match count: its last repaint ends the search
        ours: list[float] = []
        theirs: list[float] = []
        rounds = 1 if smoke else 9
        for _ in range(rounds):
            got = _run(PtyProcess(ours_argv, 160, 48, ours_env), ours_keys, ours_done)
            if got is not None:
                ours.append(got)
            if tl is not None:
                argv = [str(tl), str(path)]
                got = _run(PtyProcess(argv, 160, 48, child_env()), theirs_keys, theirs_done)
                if got is not None:
                    theirs.append(got)
    finally:
        sim.stop()
    figure, ref = med(ours), med(theirs)
    ratio = figure / ref if ours and theirs else None
    return Result(
        "6",
        "open 5 MB log + search ÷ toolong",
        figure,
        "s",
        # A monitor that runs for days does not need 30 ms at start: no start-up hacks
        # (gc pause, import poisoning, bare SSL context), within 10 % of toolong.
        "<= 1.1x",
        None if ratio is None else ratio <= 1.1,
        reference=ref if theirs else None,
        ratio=ratio,
        note=f"{len(text) / 1e6:.1f} MB; jobtui {len(ours)}/{rounds} runs completed "
        + ("(installed)" if program is not None else "(python -m jobtui, checkout)")
        + f", toolong {len(theirs)}/{rounds if tl else 0}"
        + ("" if tl else " (toolong not run)"),
    )
