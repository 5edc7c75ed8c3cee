"""Build frozen slotted dataclasses without their generated ``__init__``.

A frozen dataclass's ``__init__`` goes through ``object.__setattr__`` once per
field; for the 10,000 ``HostResult``s of a large step that is half the parse
time. Writing the slots through their descriptors builds the very same
(immutable, equal, hashable) instance for half the cost. Any class this cannot
handle safely (no slots, ``__post_init__``, default factories) gets its normal
constructor back, so a later change to the model can only make it slower.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields
from types import MemberDescriptorType
from typing import Any, TypeVar

T = TypeVar("T")


def fast_constructor(cls: type[T]) -> Callable[..., T]:
    """A positional/keyword constructor equivalent to ``cls(...)`` for plain fields."""
    if hasattr(cls, "__post_init__"):
        return cls
    names: list[str] = []
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    params: list[str] = []
    for f in fields(cls):  # type: ignore[arg-type]
        slot = cls.__dict__.get(f.name)
        if not isinstance(slot, MemberDescriptorType) or f.default_factory is not MISSING:
            return cls
        names.append(f.name)
        namespace[f"_set_{f.name}"] = slot.__set__
        if f.default is MISSING:
            params.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    body = "".join(f"    _set_{n}(o, {n})\n" for n in names)
    source = f"def make({', '.join(params)}):\n    o = _new(_cls)\n{body}    return o\n"
    exec(source, namespace)  # the same technique dataclasses uses to build __init__
    make: Callable[..., T] = namespace["make"]
    return make
