"""One source per figure: the step tree's and header's counts (core/counts)."""

from __future__ import annotations

from dataclasses import replace

from jobtui.api.filters import StepFilter
from jobtui.api.models import Block, HostRef, HostResult, Job, ResultGroup, Step, StepResult
from jobtui.core.counts import (
    CountBook,
    Source,
    counts_disagree,
    groups_age,
    groups_label,
    groups_settled,
    narrows,
)
from jobtui.core.snapshot import HostCounts

RUNNING, SUCCESS, FAILED, HOST_OK, HOST_FAIL, HOST_RUN = 2, 3, 4, 9, 104, 7


def host(n: int, status: int) -> HostResult:
    return HostResult(HostRef(host_id=n, ip=f"10.0.0.{n}"), status)


def job(*steps: Step) -> Job:
    return Job(1, "j", RUNNING, False, (Block(None, 1, steps, implicit=True),))


def step(status: int = RUNNING, retry: int = 0, hosts: tuple[HostResult, ...] = ()) -> Step:
    return Step(11, "s", 1, status, execute_count=retry, hosts=hosts)


def result(ok: int, failed: int = 0, running: int = 0, status: int = RUNNING) -> StepResult:
    groups = tuple(
        ResultGroup(code, "", n)
        for code, n in ((HOST_OK, ok), (HOST_FAIL, failed), (HOST_RUN, running))
        if n
    )
    return StepResult(11, "s", 1, status, 0, groups)


def test_the_job_status_wins_over_a_result_of_the_same_run() -> None:
    book = CountBook()
    book.observe_job(job(step(hosts=(host(1, HOST_OK), host(2, HOST_RUN)))))
    book.observe_result(result(ok=2), StepFilter(), step(), rolls=False)
    assert book.figures[11].source is Source.JOB
    assert book.whole(11) == HostCounts(ok=1, running=1)


def test_a_big_job_takes_the_result_and_the_header_skips_filtered_figures() -> None:
    book = CountBook()
    book.observe_job(job(step()))
    book.observe_result(result(ok=3, running=2), StepFilter(), step(), rolls=False)
    assert book.whole(11) == HostCounts(ok=3, running=2)
    book.observe_result(result(ok=1), StepFilter(search_ip="10.0.0.1"), step(), rolls=False)
    assert book.counts()[11] == HostCounts(ok=1, scope="filtered")
    assert book.whole(11) is None  # never a filtered figure in the header


def test_a_retry_drops_the_first_runs_counts() -> None:
    """The scale demo: a step that succeeded on its retry kept the first run's ✗."""
    book = CountBook()
    book.observe_job(job(step()))
    book.observe_result(result(ok=5, failed=3), StepFilter(), step(), rolls=False)
    book.observe_job(job(step(retry=1)))
    assert 11 not in book.counts()
    book.observe_result(result(ok=8), StepFilter(), step(retry=1), rolls=False)
    assert book.whole(11) == HostCounts(ok=8)


def test_finishing_drops_counts_taken_while_running() -> None:
    book = CountBook()
    book.observe_job(job(step()))
    book.observe_result(result(ok=2, running=6), StepFilter(), step(), rolls=False)
    book.observe_job(job(step(status=SUCCESS)))
    assert 11 not in book.counts()
    book.observe_result(result(ok=8, status=SUCCESS), StepFilter(), step(SUCCESS), rolls=False)
    book.observe_job(job(step(status=SUCCESS)))  # the same state: kept
    assert book.whole(11) == HostCounts(ok=8)


def test_a_finished_steps_whole_figure_outlives_a_narrower_result() -> None:
    """An IP search on a finished step: its tree line keeps the final counts; the
    groups say they are filtered. A search on a running step still shows, marked."""
    book = CountBook()
    done = step(SUCCESS)
    book.observe_job(job(done))
    book.observe_result(result(ok=8, status=SUCCESS), StepFilter(batch=0), done, rolls=False)
    ip = StepFilter(search_ip="10.1.")
    book.observe_result(result(ok=3, status=SUCCESS), ip, done, rolls=False)
    assert book.whole(11) == HostCounts(ok=8)
    book.observe_job(job(step()))  # a retry of it runs: the search shows, marked
    book.observe_result(result(ok=1, running=2), ip, step(), rolls=False)
    assert book.counts()[11] == HostCounts(ok=1, running=2, scope="filtered")


def test_which_filters_narrow_the_counts() -> None:
    latest = step(retry=2)
    assert narrows(StepFilter(statuses=(HOST_FAIL,), tag="x"), latest, rolls=False) == ""
    assert narrows(StepFilter(keyword="error"), latest, rolls=False) == "filtered"
    assert narrows(StepFilter(execute_count=1), latest, rolls=False) == "retry 1"
    assert narrows(StepFilter(execute_count=2), latest, rolls=False) == ""
    assert narrows(StepFilter(), latest, rolls=True) == "batch"  # the current batch only
    assert narrows(StepFilter(batch=0), latest, rolls=True) == ""
    assert narrows(StepFilter(batch=2), latest, rolls=True) == "batch"


def test_the_groups_say_when_they_are_filtered_or_older_than_the_tree() -> None:
    assert groups_label(StepFilter(), True, groups_age(0.5, False)) == ""
    assert groups_label(StepFilter(search_ip="10.0"), True, groups_age(2.4, False)) == (
        "filtered · 2s older than the steps"
    )
    assert groups_label(StepFilter(execute_count=0), True, "") == ""  # named above
    assert groups_label(StepFilter(batch=0), True, "") == ""  # all batches: the whole step
    assert groups_label(StepFilter(batch=8), True, "") == "filtered"  # one batch narrows
    assert groups_label(StepFilter(search_ip="x"), False, "") == ""


def test_groups_that_disagree_with_the_tree_always_say_why() -> None:
    """Under 2 s apart, said only when the figures differ; newer groups say so too."""
    assert groups_age(1.4, False) == ""
    assert groups_age(1.4, True) == "1s older than the steps"
    assert groups_age(0.2, True) == "a moment older than the steps"
    assert groups_age(-0.3, True) == "newer than the steps"
    assert groups_age(None, True) == ""
    assert groups_age(6.0, False) == "6s older than the steps"


def test_disagreement_compares_the_same_hosts_only() -> None:
    tree = HostCounts(ok=14, failed=2, running=8)
    assert counts_disagree(result(ok=9, failed=1, running=14), tree)  # 24 hosts each
    assert not counts_disagree(result(ok=14, failed=2, running=8), tree)
    assert not counts_disagree(result(ok=3, running=5), tree)  # a batch of 8: says so itself
    assert not counts_disagree(result(ok=9, running=15), None)
    assert not counts_disagree(result(ok=9, running=15), HostCounts(ok=1, scope="filtered"))


def batch(*hosts: HostResult, retry: int = 0) -> StepResult:
    """A rolling step's current batch: one group per host, the host listed in it."""
    groups = tuple(ResultGroup(h.status, "", 1, (h,)) for h in hosts)
    return StepResult(11, "s", 1, RUNNING, retry, groups)


def test_a_batch_that_the_job_status_counts_otherwise_disagrees() -> None:
    """Seen in the demo: batch 2 all done in the groups, one of its hosts still
    running in the tree (its job status polled a moment before the groups)."""
    tree = HostCounts(ok=15, running=1, waiting=8)
    hosts = tuple(
        host(n, HOST_OK if n < 16 else HOST_RUN if n == 16 else 5)  # 5: waiting for its batch
        for n in range(1, 25)
    )
    now = step(hosts=hosts)
    done = batch(*(host(n, HOST_OK) for n in range(9, 17)))
    assert counts_disagree(done, tree, now)
    assert not counts_disagree(done, tree)  # no per-host job status: nothing to compare
    assert not counts_disagree(batch(*hosts[8:16]), tree, now)  # the same hosts alike
    assert not counts_disagree(done, tree, replace(now, execute_count=1))  # another retry
    assert not counts_disagree(batch(host(99, HOST_OK)), tree, now)  # a host it does not name


def test_finished_steps_without_counts_are_wanted_once() -> None:
    book = CountBook()
    book.observe_job(job(step(status=RUNNING)))
    assert book.wanted == set()  # running: the selected step's own polls count it
    book.observe_job(job(step(status=SUCCESS)))
    assert book.wanted == {11}
    book.observe_result(
        result(ok=8, status=SUCCESS), StepFilter(batch=0), step(SUCCESS), rolls=True
    )
    assert book.wanted == set() and book.whole(11) == HostCounts(ok=8)
    book.observe_job(job(step(status=SUCCESS)))
    assert book.wanted == set()


def test_a_finished_steps_groups_are_never_older_than_a_status_that_still_shows_it_done() -> None:
    failed = 4
    done = result(ok=19, failed=5, status=failed)
    assert groups_settled(done, step(status=failed))  # nothing can have moved
    assert not groups_settled(done, step(status=RUNNING, retry=1))  # retried since
    assert not groups_settled(done, step(status=failed, retry=1))  # retried and failed again
    assert not groups_settled(result(ok=3, status=RUNNING), step(status=RUNNING))  # running
    assert not groups_settled(None, step(status=failed))
    older = replace(result(ok=19, failed=5, status=failed), latest_execute_count=1)
    assert groups_settled(older, step(status=RUNNING, retry=1))  # retry 0: a past run
    confirm = replace(result(ok=0, status=7), type=3, groups=())
    assert groups_settled(confirm, step(status=7))  # its card reads the job status


def test_the_short_age_for_a_narrow_title() -> None:
    from jobtui.core.counts import short_age

    assert short_age("2s older than the steps") == "2s older"
    assert short_age("a moment older than the steps") == "older"
    assert short_age("newer than the steps") == "newer"
    assert short_age("not updated since 10:42:01") == "not updated"
    assert short_age("") == ""
