"""Child processes that stop when their parent dies, even by SIGKILL."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_forks_tied_in: int | None = None  # the process whose forks are tied to it


def _tie_to(parent: int, libc: ctypes.CDLL) -> Callable[[], None]:
    def tie() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the request was made
            os.kill(os.getpid(), signal.SIGTERM)

    return tie


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn asking the kernel to SIGTERM the child when this process dies; None off Linux.

    Without it a parent killed with SIGKILL leaves its children running, holding their ports,
    since nothing is left to stop them. The setting survives exec; the caller's thread must
    outlive the child, as the kernel signals when the thread that forked it exits.
    """
    libc = _libc()
    return None if libc is None else _tie_to(os.getpid(), libc)


def forks_die_with_this_process() -> None:
    """Tie every child this process forks from now on to it, as die_with_parent does (once)."""
    global _forks_tied_in
    libc = _libc()
    if libc is None or _forks_tied_in == os.getpid():
        return
    _forks_tied_in = os.getpid()
    os.register_at_fork(after_in_child=_tie_to(os.getpid(), libc))
