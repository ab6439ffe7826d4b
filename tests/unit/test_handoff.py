"""The web's hand-off of comment ids: at once while workers keep up, gathered while jobs wait,
none left behind."""

from __future__ import annotations

import threading
import time

import pytest

from moderation.handoff import HandOff


class RecordingQueue:
    """Stands in for CommentQueue: records each hand-over, as Redis would receive it."""

    def __init__(self, *, fail: bool = False, waiting: int = 0) -> None:
        self.calls: list[list[str]] = []
        self.fail = fail
        self.waiting = waiting  # jobs each hand-over finds waiting in the queue
        self.called = threading.Event()

    def enqueue(self, ids: list[str]) -> int | None:
        self.calls.append(list(ids))
        self.called.set()
        if self.fail:
            raise RuntimeError("boom")
        return self.waiting


@pytest.fixture
def queue():
    return RecordingQueue()


def _handoff(queue, window):
    return HandOff(queue, window=window)  # type: ignore[arg-type]


def test_a_quiet_process_hands_an_id_over_before_the_request_returns(queue):
    handoff = _handoff(queue, 0.05)

    handoff.add(["a"])

    assert queue.calls == [["a"]]
    handoff.close()


def test_while_the_workers_keep_up_every_id_goes_at_once(queue):
    handoff = _handoff(queue, 30)

    for name in "abc":
        handoff.add([name])

    assert queue.calls == [["a"], ["b"], ["c"]]  # no window: nothing waited in the queue
    handoff.close()


def test_ids_within_the_window_go_together_even_if_no_request_comes(queue):
    queue.waiting = 3  # the workers are behind: a comment would wait for those jobs anyway
    handoff = _handoff(queue, 0.1)

    handoff.add(["a"])
    queue.called.clear()
    handoff.add(["b"])
    handoff.add(["c", "d"])
    assert queue.calls == [["a"]]  # b, c and d wait: a went just now

    assert queue.called.wait(1.0), "the hand-off thread never handed b, c and d over"
    assert queue.calls == [["a"], ["b", "c", "d"]]
    handoff.close()


def test_once_the_queue_is_idle_again_ids_go_at_once(queue):
    queue.waiting = 3
    handoff = _handoff(queue, 0.1)
    handoff.add(["a"])
    queue.waiting = 0
    handoff.add(["b"])  # gathered: "a" found jobs waiting
    assert queue.called.wait(1.0)
    deadline = time.monotonic() + 1
    while queue.calls != [["a"], ["b"]]:
        assert time.monotonic() < deadline, "the thread never handed b over"
        time.sleep(0.01)

    handoff.add(["c"])  # "b" found the queue empty: no more gathering

    assert queue.calls == [["a"], ["b"], ["c"]]
    handoff.close()


def test_the_first_request_after_the_window_hands_over_without_waiting(queue):
    queue.waiting = 3
    handoff = _handoff(queue, 0.05)
    handoff.add(["a"])
    time.sleep(0.06)

    handoff.add(["b"])

    assert queue.calls == [["a"], ["b"]]  # made by the request itself, before it returns
    handoff.close()


def test_close_hands_over_what_waits(queue):
    queue.waiting = 3
    handoff = _handoff(queue, 30)
    handoff.add(["a"])
    handoff.add(["b"])

    handoff.close()

    assert queue.calls == [["a"], ["b"]]


def test_a_window_of_zero_never_gathers(queue):
    handoff = _handoff(queue, 0)

    for name in "abc":
        handoff.add([name])

    assert queue.calls == [["a"], ["b"], ["c"]]


def test_a_failing_hand_over_leaves_the_thread_running(caplog):
    queue = RecordingQueue(fail=True, waiting=3)
    handoff = _handoff(queue, 0.05)
    with pytest.raises(RuntimeError):
        handoff.add(["a"])  # made by the request, so the error is the request's
    queue.fail = False
    handoff.add(["b"])  # jobs wait: ids gather from now on
    queue.fail = True
    queue.called.clear()
    handoff.add(["c"])
    assert queue.called.wait(1.0)  # the thread tried, failed and logged
    queue.fail = False
    queue.called.clear()

    handoff.add(["d"])
    assert queue.called.wait(1.0)

    assert "hand-off of comment ids failed" in caplog.text
    assert queue.calls[-1] == ["d"]
    handoff.close()


class OutageQueue(RecordingQueue):
    """A queue whose Redis is down until `back` is set: enqueue answers None, as CommentQueue."""

    def __init__(self) -> None:
        super().__init__()
        self.back = False

    def enqueue(self, ids: list[str]) -> int | None:
        waiting = super().enqueue(ids)
        return waiting if self.back else None


def test_ids_of_a_failed_hand_over_go_with_the_first_that_succeeds():
    queue = OutageQueue()
    handoff = _handoff(queue, 0.0)
    handoff.add(["a"])
    handoff.add(["b"])
    queue.back = True
    handoff.add(["c"])
    assert queue.calls[-1] == ["a", "b", "c"]
    handoff.add(["d"])
    assert queue.calls[-1] == ["d"]
    handoff.close()


def test_ids_of_a_failed_hand_over_are_retried_without_new_requests():
    queue = OutageQueue()
    handoff = _handoff(queue, 0.0)
    handoff.add(["a", "b"])
    queue.back = True
    deadline = time.monotonic() + 5
    while queue.calls[-1] != ["a", "b"] or len(queue.calls) < 2:
        assert time.monotonic() < deadline, "not retried within 5 s"
        time.sleep(0.05)
    handoff.close()
