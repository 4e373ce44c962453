"""Workbook readers run in a child process, so no upload can take the server down.

The Rust workbook reader aborts the whole process when an allocation fails, and a damaged
file can make any native reader misbehave. Every workbook read therefore happens in a child
forked from a small, clean fork server (started once, with the readers imported), under an
address-space and CPU limit: a reader that dies, runs out of memory or loops is a refused
file, and the server process that serves every other session never notices.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
from collections.abc import Callable
from typing import Any, TypeVar

from salesboard.importing.problems import RejectCode, SpreadsheetRejected

T = TypeVar("T")

# What a reader may allocate on top of the child it starts in: a sheet at the 10M-cell
# bound takes about 1.5 GB as Python cells, and the result is pickled once more to return.
READER_MEMORY_BYTES = 4 * 1024**3
READER_CPU_SECONDS = 300
READER_WALL_SECONDS = 600

_in_child = False  # a reader calling a reader runs it in the same child
_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["salesboard.importing.reader_host"])


def run_isolated(func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``func(*args, **kwargs)`` in a bounded child process (func and arguments must pickle).

    Returns its result and re-raises its SpreadsheetRejected; its death by a signal (an
    abort, the OOM killer, the CPU limit) or any other failure becomes SpreadsheetRejected:
    too_large for memory and CPU exhaustion, unreadable_sheet for everything else.
    """
    if _in_child:
        return func(*args, **kwargs)
    receiver, sender = _context.Pipe(duplex=False)
    child = _context.Process(target=_child, args=(sender, func, args, kwargs), daemon=True)
    child.start()
    sender.close()
    try:
        outcome = receiver.recv() if receiver.poll(READER_WALL_SECONDS) else None
    except EOFError:  # the child died before it could answer
        outcome = None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome is None:
        raise _death(child.exitcode)
    status, value = outcome
    if status == "ok":
        return value
    if status == "rejected":
        raise value
    raise SpreadsheetRejected(RejectCode.UNREADABLE_SHEET, error=value)


def _death(exitcode: int | None) -> SpreadsheetRejected:
    if exitcode is None or exitcode >= 0:
        return SpreadsheetRejected(RejectCode.UNREADABLE_SHEET, exitcode=exitcode)
    name = signal.Signals(-exitcode).name
    if name in ("SIGXCPU", "SIGKILL"):  # the CPU limit, or the kernel's OOM killer
        return SpreadsheetRejected(RejectCode.TOO_LARGE, signal=name)
    return SpreadsheetRejected(RejectCode.UNREADABLE_SHEET, signal=name)


def _child(sender, func: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    global _in_child
    _in_child = True
    _limit_resources()
    try:
        outcome = ("ok", func(*args, **kwargs))
    except SpreadsheetRejected as error:
        outcome = ("rejected", error)
    except MemoryError:
        outcome = ("rejected", SpreadsheetRejected(RejectCode.TOO_LARGE))
    except BaseException as error:  # a reader's failure is a refusal
        outcome = ("failed", type(error).__name__)
    try:
        sender.send(outcome)
    except MemoryError:  # the result itself is too large to hand back
        sender.send(("rejected", SpreadsheetRejected(RejectCode.TOO_LARGE)))
    finally:
        sender.close()


def _limit_resources() -> None:
    """Cap this child's address space and CPU time (never above limits it inherited)."""
    for limit, extra in (
        (resource.RLIMIT_AS, READER_MEMORY_BYTES + _address_space()),
        (resource.RLIMIT_CPU, READER_CPU_SECONDS),
    ):
        _soft, hard = resource.getrlimit(limit)
        value = extra if hard == resource.RLIM_INFINITY else min(extra, hard)
        resource.setrlimit(limit, (value, hard))


def _address_space() -> int:
    """This process's current virtual size in bytes (what it started with)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0
