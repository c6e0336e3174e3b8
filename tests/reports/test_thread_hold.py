"""A stop raised into a worker thread (a Dask task) waits out the report's swap.

The main thread keeps signals out of ``signals_held``; a worker thread gets its stop as an
exception (``interrupt_thread``), which must not land in the history write and renames.
"""

from __future__ import annotations

import threading
import time

from cxkit.reports.aside import interrupt_thread, signals_held


def run_in_thread(body) -> tuple[threading.Thread, dict, threading.Event]:
    state: dict = {}
    ready = threading.Event()

    def target():
        try:
            body(state, ready)
            state["finished"] = True
        except KeyboardInterrupt:
            state["interrupted"] = True

    thread = threading.Thread(target=target)
    thread.start()
    return thread, state, ready


def busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:  # Python bytecode: where an async exception is delivered
        pass


def test_a_thread_inside_signals_held_finishes_its_block():
    def body(state, ready):
        with signals_held():
            ready.set()
            busy(0.3)
            state["swapped"] = True

    thread, state, ready = run_in_thread(body)
    ready.wait()
    assert interrupt_thread(thread.ident) is False  # held: the stop is dropped
    thread.join()
    assert state == {"swapped": True, "finished": True}


def test_a_thread_outside_is_interrupted_as_by_ctrl_c():
    def body(state, ready):
        ready.set()
        busy(5)

    thread, state, ready = run_in_thread(body)
    ready.wait()
    assert interrupt_thread(thread.ident) is True
    thread.join(timeout=5)
    assert state == {"interrupted": True}


def test_a_stop_sent_just_before_the_block_does_not_land_inside_it():
    gate = threading.Event()

    def body(state, ready):
        ready.set()
        gate.wait()  # C code: the pending exception waits for the next bytecode check
        with signals_held():
            state["entered"] = True
            busy(0.2)
            state["swapped"] = True

    thread, state, ready = run_in_thread(body)
    ready.wait()
    time.sleep(0.05)
    assert interrupt_thread(thread.ident) is True  # pending while the thread waits
    gate.set()
    thread.join(timeout=5)
    # delivered before the block (never entered), or dropped on entering it: never half-way
    assert state in (
        {"interrupted": True},
        {"entered": True, "swapped": True, "finished": True},
    )
