"""The poller fetches what the plan asks, once for finished data, and reports errors."""

from dataclasses import replace

from jobtui.api.errors import FailedPrecondition, GatewayError, UnsupportedFilterError
from jobtui.api.models import Job
from jobtui.tui.poller import Poller, PollPlan, estimate_host_entries
from tests.support.fakes import FakeApi, host


async def test_full_plan_fetches_job_result_and_log() -> None:
    api = FakeApi()
    poller = Poller(api)
    plan = PollPlan(99, job=True, step_instance_id=12, host=host(3, 7))
    outcome = await poller.poll(plan, None)
    assert outcome.ok and outcome.job is api.job
    assert outcome.result is not None and outcome.log is not None
    # a running step without per-host job status: its whole counts (batch=0) beside it
    assert api.calls == ["job", "result:12", "result:12", "log:12:h:3"]
    assert outcome.whole is not None


async def test_a_step_known_not_to_roll_gets_no_whole_counts() -> None:
    api = FakeApi()
    poller = Poller(api)
    plan = PollPlan(99, job=True, step_instance_id=12, host=host(3, 7), flat=frozenset({12}))
    outcome = await poller.poll(plan, None)
    assert api.calls == ["job", "result:12", "log:12:h:3"]
    assert outcome.whole is None


async def test_finished_step_and_host_are_fetched_once() -> None:
    api = FakeApi()
    poller = Poller(api)
    plan = PollPlan(99, job=False, step_instance_id=11, host=host(1))
    first = await poller.poll(plan, api.job)
    second = await poller.poll(plan, api.job)
    assert first.result is not None and first.log is not None
    assert second.result is None and second.log is None
    forced = await poller.poll(replace(plan, force=True), api.job)
    assert forced.result is not None and forced.log is not None


async def test_running_step_is_fetched_every_time() -> None:
    api = FakeApi()
    poller = Poller(api)
    # flat: no whole-step counts beside (test_a_step_known_not_to_roll_gets_no_whole_counts)
    plan = PollPlan(99, job=False, step_instance_id=12, host=host(3, 7), flat=frozenset({12}))
    for _ in range(3):
        assert (await poller.poll(plan, api.job)).result is not None
    assert api.calls.count("result:12") == 3


async def test_errors_are_returned_not_raised() -> None:
    api = FakeApi()
    api.error = GatewayError("gateway said no", status_code=502)
    outcome = await Poller(api).poll(PollPlan(99, job=True), None)
    assert not outcome.ok and outcome.error is api.error and outcome.job is None
    api.error = UnsupportedFilterError("batch is not supported by ESB v2")
    outcome = await Poller(api).poll(PollPlan(99, job=True), None)
    assert outcome.unsupported is api.error


async def test_job_hosts_are_requested_only_once_the_job_is_known_small() -> None:
    api = FakeApi()
    seen: list[bool] = []
    real = api.get_job

    async def spy(job_instance_id: int, *, with_hosts: bool = True, enrich: bool = True) -> object:
        seen.append(with_hosts)
        return await real(job_instance_id, with_hosts=with_hosts)

    api.get_job = spy  # type: ignore[method-assign]
    poller = Poller(api)
    plan = PollPlan(99, job=True, step_instance_id=12)
    await poller.poll(plan, None)
    await poller.poll(plan, None)
    poller.host_limit = 0  # the same job, now "too big"
    await poller.poll(plan, None)
    assert seen == [False, True, False]


def test_estimate_fills_unknown_steps_with_the_biggest_known() -> None:
    api = FakeApi()
    sizes = {step.step_instance_id: 0 for step in api.job.steps}
    first = api.job.steps[0].step_instance_id
    sizes[first] = 500
    estimate = estimate_host_entries(api.job, sizes)
    hosts = [len(s.hosts) for s in api.job.steps[1:]]
    assert estimate == 500 + sum(h or 500 for h in hosts)
    assert estimate_host_entries(replace(api.job, blocks=()), {}) is None


class MetaApi(FakeApi):
    """A v3-like client: operator and launch mode only through ``enrich_job``."""

    def __init__(self) -> None:
        super().__init__()
        self.job = replace(self.job, operator=None, launch_mode=None)
        self.enrich_flags: list[bool] = []

    async def get_job(
        self, job_instance_id: int, *, with_hosts: bool = True, enrich: bool = True
    ) -> Job:
        self.enrich_flags.append(enrich)
        job = await super().get_job(job_instance_id, with_hosts=with_hosts)
        return await self.enrich_job(job) if enrich else job

    async def enrich_job(self, job: Job) -> Job:
        self.calls.append("meta")
        return replace(job, operator="alice", launch_mode=1)


async def test_first_job_status_skips_the_meta_lookup_which_runs_after_it() -> None:
    api = MetaApi()
    poller = Poller(api)
    first = await poller.poll(PollPlan(99, job=True), None)
    # the status came without the lookup (it is not waited for before the step
    # data); the lookup ran after it, in the same poll, and filled the job in
    assert api.calls == ["job", "meta"] and api.enrich_flags == [False]
    assert first.job is not None and first.job.operator == "alice"
    second = await poller.poll(PollPlan(99, job=False, step_instance_id=12), first.job)
    assert second.job is None and second.meta is None  # looked up once
    third = await poller.poll(PollPlan(99, job=True), first.job)
    assert third.job is not None and third.job.launch_mode == 1
    assert api.enrich_flags == [False, True]  # later polls use the client's cached lookup


async def test_a_1241003_on_the_step_re_reads_the_job_instead_of_failing() -> None:
    """1241003 means the step's state moved (FailedPreconditionException on bk-job):
    the poll fetches the job status again and the step once more, and is fresh."""
    api = FakeApi()
    real = api.get_step_result
    refusals = [FailedPrecondition("not possible in the step's current state", code=1241003)]

    async def once(*args: object, **kw: object) -> object:
        if refusals:
            api.calls.append("refused")
            raise refusals.pop()
        return await real(*args, **kw)  # type: ignore[arg-type]

    api.get_step_result = once  # type: ignore[method-assign,assignment]
    plan = PollPlan(99, job=False, step_instance_id=12, flat=frozenset({12}))
    outcome = await Poller(api).poll(plan, api.job)
    assert outcome.ok and outcome.error is None
    assert outcome.job is api.job and outcome.result is not None
    assert api.calls == ["refused", "job", "result:12"]


async def test_a_1241003_twice_is_an_error_like_any_other() -> None:
    api = FakeApi()

    async def never(*args: object, **kw: object) -> object:
        raise FailedPrecondition("not possible in the step's current state", code=1241003)

    api.get_step_result = never  # type: ignore[method-assign,assignment]
    outcome = await Poller(api).poll(PollPlan(99, job=False, step_instance_id=12), api.job)
    assert isinstance(outcome.error, FailedPrecondition)
