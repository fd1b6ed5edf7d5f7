"""The imaging pipeline's second thread (kiosk.scan.imaging.helper): work side by side, the same results
as one thread, failures handed back, no thread waiting for itself."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from kiosk.scan.imaging import helper, quality


def test_both_runs_the_first_on_the_helper_thread_and_the_second_here() -> None:
    where: dict[str, str] = {}

    def first() -> int:
        where["first"] = threading.current_thread().name
        return 1

    def second() -> str:
        where["second"] = threading.current_thread().name
        return "two"

    assert helper.both(first, second) == (1, "two")
    assert where["first"].startswith("scan-helper") and where["second"] == threading.current_thread().name


def test_work_started_from_the_helper_thread_runs_there_at_once() -> None:
    """With one helper thread, waiting on work queued behind oneself would never end."""
    def nested() -> tuple[int, int]:
        return helper.both(lambda: 1, lambda: 2)

    assert helper.start(nested).result(timeout=10) == (1, 2)


def test_a_failure_on_either_side_reaches_the_caller_after_both_ended() -> None:
    ended: list[str] = []

    def fails() -> int:
        raise ValueError("helper side")

    def slow() -> int:
        ended.append("second")
        return 2

    with pytest.raises(ValueError, match="helper side"):
        helper.both(fails, slow)
    assert ended == ["second"]

    def first() -> int:
        threading.Event().wait(0.05)
        ended.append("first")
        return 1

    def fails_here() -> int:
        raise KeyError("this side")

    with pytest.raises(KeyError):
        helper.both(first, fails_here)
    assert ended[-1] == "first"          # the helper's work had ended before the failure was raised


def test_ssim_in_two_halves_is_the_map_of_one_thread() -> None:
    """The halves split at a band boundary: every band (and its context rows) is the one a single
    thread works out, so the mean is the same to the last bits of the sum."""
    rng = np.random.default_rng(3)
    a = rng.integers(0, 256, (1000, 700), dtype=np.uint8)
    b = np.clip(a.astype(np.int16) + rng.integers(-40, 41, a.shape), 0, 255).astype(np.uint8)
    one_thread = quality._rows_sum(a, b, 0, a.shape[0]) / a.size
    assert quality.ssim(a, b) == pytest.approx(one_thread, rel=1e-12, abs=0)
    assert quality.ssim(a, a) == pytest.approx(1.0)
