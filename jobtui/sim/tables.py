"""The simulator's own code tables (it must not import jobtui.api)."""

from __future__ import annotations

FINISHED_RUN_STATUSES = frozenset({3, 4, 5, 6, 8, 9, 11, 13, 14})

HOST_STATUS_EN: dict[int, str] = {
    0: "Unknown Error",
    1: "Abnormal Agent",
    2: "Invalid Execute Object",
    3: "Successful Last Time",
    5: "Waiting",
    7: "Running",
    9: "Success",
    11: "Failed",
    12: "Task send failed",
    13: "Task Timeout",
    15: "Error in Log",
    101: "Script Execution Failed",
    102: "Script Execution Timeout",
    103: "Script Execution Terminated",
    104: "Non-zero Exit Code",
    202: "File Transmission Failed",
    203: "Source File Not Exists",
    403: "Force Terminated",
    404: "Force Terminate Failed",
    500: "Unknown",
}

HOST_STATUS_ZH: dict[int, str] = {
    0: "未知错误",
    1: "Agent异常",
    2: "无效主机",
    3: "上次已成功",
    5: "等待执行",
    7: "正在执行",
    9: "执行成功",
    11: "执行失败",
    12: "任务下发失败",
    13: "任务超时",
    15: "任务日志错误",
    101: "脚本执行失败",
    102: "脚本执行超时",
    103: "脚本执行被终止",
    104: "脚本返回码非零",
    202: "文件传输失败",
    203: "源文件不存在",
    403: "任务强制终止成功",
    404: "任务强制终止失败",
    500: "未知状态",
}


def host_status_desc(status: int, language: str) -> str:
    """The localised label bk-job puts in status_desc / result_type_desc."""
    table = HOST_STATUS_ZH if language.lower().startswith("zh") else HOST_STATUS_EN
    return table.get(status, HOST_STATUS_EN.get(status, "Unknown"))


def host_error_code(status: int) -> int:
    """The v3 job-status ``error_code``: 0 done, 115 running, 126 terminated, -1 other."""
    if status in (9, 104, 3):
        return 0
    if status in (5, 7):
        return 115
    if status in (103, 403):
        return 126
    return -1
