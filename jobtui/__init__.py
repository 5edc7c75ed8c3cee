"""jobtui: a terminal live monitor for Tencent BlueKing JOB (bk-job) job executions."""

__version__ = "0.1.0"
