"""Cheap, stable pseudo-random numbers as pure functions of integers.

Host fates must be a pure function of (seed, step, attempt, host index) so a
50,000-host step never needs per-host state.
"""

from __future__ import annotations

_MASK = (1 << 64) - 1


def mix(*values: int) -> int:
    """A splitmix64-style hash of a tuple of integers."""
    h = 0x9E3779B97F4A7C15
    for value in values:
        h = (h ^ (value & _MASK)) * 0xBF58476D1CE4E5B9 & _MASK
        h = (h ^ (h >> 31)) * 0x94D049BB133111EB & _MASK
        h ^= h >> 29
    return h


def unit(*values: int) -> float:
    """A float in [0, 1) derived from ``mix``."""
    return (mix(*values) >> 11) / float(1 << 53)
