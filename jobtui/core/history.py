"""Hosts done and failed over time for one step: a bounded series for a small chart.

A person glancing at a wall screen reads a rising line faster than numbers, so
each poll of the running step adds a sample; the series is bounded (days of
polling cost a fixed amount of memory), drops repeats of an unchanged sample
and starts over when the step or its retry changes.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

DEFAULT_SAMPLES = 240


@dataclass(frozen=True, slots=True)
class Sample:
    """Hosts of the step at one moment (``at``: epoch or monotonic seconds)."""

    at: float
    done: int  # finished: ok + failed
    failed: int
    total: int


class StepHistory:
    """Samples of one (step, retry), oldest first, at most ``maxlen`` of them."""

    def __init__(
        self, step_instance_id: int, execute_count: int = 0, *, maxlen: int = DEFAULT_SAMPLES
    ) -> None:
        if maxlen < 2:
            raise ValueError("a history needs room for at least two samples")
        self.step_instance_id = step_instance_id
        self.execute_count = execute_count
        self._samples: deque[Sample] = deque(maxlen=maxlen)

    @property
    def samples(self) -> tuple[Sample, ...]:
        return tuple(self._samples)

    @property
    def last(self) -> Sample | None:
        """The newest sample (cheaper than ``samples[-1]``)."""
        return self._samples[-1] if self._samples else None

    def __len__(self) -> int:
        return len(self._samples)

    def record(self, at: float, *, done: int, failed: int, total: int) -> bool:
        """Add a sample; False (nothing stored) for a repeat or a step back in time."""
        sample = Sample(at, max(0, done), max(0, min(failed, done)), max(0, total, done))
        if self._samples:
            last = self._samples[-1]
            if at < last.at:
                return False
            if (last.done, last.failed, last.total) == (sample.done, sample.failed, sample.total):
                return False
        self._samples.append(sample)
        return True

    def columns(self, width: int) -> list[tuple[float, float]]:
        """``width`` (done, failed) fractions of the total, resampled over time for a chart.

        Each column shows the latest sample at or before its moment, so the chart
        steps up where hosts finished rather than smoothing over them.
        """
        if width <= 0 or not self._samples:
            return []
        samples = list(self._samples)
        first, last = samples[0].at, samples[-1].at
        span = last - first
        out: list[tuple[float, float]] = []
        index = 0
        for column in range(width):
            moment = first + span * (column + 1) / width if span > 0 else last
            while index + 1 < len(samples) and samples[index + 1].at <= moment:
                index += 1
            sample = samples[index]
            total = max(sample.total, 1)
            out.append((sample.done / total, sample.failed / total))
        return out


class HistoryBook:
    """The history of the step being watched; replaced when the step or its retry changes."""

    def __init__(self, *, maxlen: int = DEFAULT_SAMPLES) -> None:
        self.maxlen = maxlen
        self.current: StepHistory | None = None

    def record(
        self,
        step_instance_id: int,
        execute_count: int,
        at: float,
        *,
        done: int,
        failed: int,
        total: int,
    ) -> StepHistory:
        """Add a sample to the matching history, starting a new one on a change of step or retry."""
        current = self.current
        if (
            current is None
            or current.step_instance_id != step_instance_id
            or current.execute_count != execute_count
        ):
            current = StepHistory(step_instance_id, execute_count, maxlen=self.maxlen)
            self.current = current
        current.record(at, done=done, failed=failed, total=total)
        return current
