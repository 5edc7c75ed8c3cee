"""Response validators are built on their first answer, not when the client is imported."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import jobtui.api.v2, jobtui.api.v3, jobtui.api.v4, jobtui.api.jobv3, jobtui.api.operations
from pydantic import TypeAdapter
mods = (jobtui.api.v2, jobtui.api.v3, jobtui.api.v4, jobtui.api.jobv3, jobtui.api.operations)
adapters = [v for m in mods for v in vars(m).values() if isinstance(v, TypeAdapter)]
assert len(adapters) >= 15, len(adapters)
built = [a for a in adapters if a.pydantic_complete]
assert not built, built
jobtui.api.v3.JOB_STATUS.validate_python({"result": True, "code": 0})
assert jobtui.api.v3.JOB_STATUS.pydantic_complete
assert not jobtui.api.v3.BATCH_LOGS.pydantic_complete
"""


def test_no_validator_is_built_at_import() -> None:
    # A fresh interpreter: another test in this process may have used them already.
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
