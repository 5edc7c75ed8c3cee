"""Allow ``python -m jobtui``."""

from jobtui.cli import main

raise SystemExit(main())
