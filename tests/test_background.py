"""The background loops beside the web app start once, and stop for good when asked."""

from __future__ import annotations

import asyncio

from kluis.background import Background


async def test_a_second_start_runs_nothing_twice_and_stop_ends_the_loop() -> None:
    runs: list[int] = []
    ended = asyncio.Event()

    async def loop() -> None:
        runs.append(len(runs))
        try:
            await asyncio.Event().wait()  # until cancelled
        finally:
            ended.set()

    background = Background("kluis-test-loop", loop)
    background.start()
    background.start()
    await asyncio.sleep(0)
    assert runs == [0]
    assert any(task.get_name() == "kluis-test-loop" for task in asyncio.all_tasks())
    await background.stop()
    assert ended.is_set()
    assert not any(task.get_name() == "kluis-test-loop" for task in asyncio.all_tasks())
    # Stopped, it starts again; stopping twice is harmless.
    background.start()
    await asyncio.sleep(0)
    assert runs == [0, 1]
    await background.stop()
    await background.stop()


async def test_stopping_a_loop_never_started_does_nothing() -> None:
    async def loop() -> None:
        raise AssertionError("never started")

    await Background("kluis-idle", loop).stop()
