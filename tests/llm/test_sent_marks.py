"""Sent marks in the response cache: a call whose answer was lost is counted when re-sent.

A mark made by a process that has ended (here: a real child process that marks a key and
exits without storing an answer) makes the next send of that key a counted re-send; a
mark of a process that is still running is not; an answer or a conclusive failure clears
the mark, a cancelled call keeps it.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from leasebench.llm.cache import ResponseCache
from leasebench.llm.client import LLMClient
from leasebench.llm.responses import EndpointError
from leasebench.testing.llm_server import Reply
from leasebench.testing.processes import running

from .helpers import make_spec

MARK = textwrap.dedent("""
    import sys
    from leasebench.llm.cache import ResponseCache
    cache = ResponseCache(sys.argv[1], scope="stage-a")
    for key in sys.argv[2:]:
        cache.mark_sent(key, "ignored")
    cache.close()
    print("marked", flush=True)
    if sys.stdin.readline() == "":
        sys.exit(0)
""")


def _mark_in_child(path: Path, *keys: str, stay: bool = False) -> subprocess.Popen[str] | None:
    cmd = [sys.executable, "-c", MARK, str(path), *keys]
    if not stay:
        subprocess.run(cmd, input="", text=True, check=True, timeout=60, capture_output=True)
        return None
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "marked\n"
    return proc


def test_a_mark_left_by_an_ended_process_makes_the_next_send_a_counted_resend(tmp_path):
    path = tmp_path / "c.sqlite"
    ResponseCache(path).close()
    _mark_in_child(path, "k1", "k2", "k3")
    cache = ResponseCache(path, scope="stage-b")
    assert cache.unanswered() == 3
    cache.put("k3", {"text": "stored by someone"})  # an answer clears any mark
    assert cache.unanswered() == 2
    assert cache.mark_sent("k1") is True  # sent again: counted, under the re-sender's scope
    assert cache.mark_sent("k1") is False  # this process's own mark: in flight, not lost
    assert cache.mark_sent("k3") is False  # answered earlier: nothing was lost
    assert cache.mark_sent("new") is False
    assert cache.resent() == {"stage-b": 1}
    assert cache.resent(["stage-a"]) == {}
    cache.put("k1", {"text": "x"})
    cache.unmark("k3")
    cache.unmark("new")
    assert cache.unanswered() == 1  # k2: lost, never sent again, not counted
    cache.close()
    again = ResponseCache(path)  # persistent
    assert again.resent() == {"stage-b": 1} and again.unanswered() == 1
    assert again.mark_sent("k2", "extract-x") is True  # no scope: the stage it is sent for
    assert again.resent() == {"stage-b": 1, "extract-x": 1}


def test_a_mark_of_a_running_process_is_not_a_lost_call(tmp_path):
    path = tmp_path / "c.sqlite"
    ResponseCache(path).close()
    proc = _mark_in_child(path, "k", stay=True)
    assert proc is not None
    try:
        cache = ResponseCache(path, scope="s")
        assert cache.mark_sent("k") is False  # the other process may still get the answer
        cache.unmark("k")  # clears only this process's own mark
        cache.close()
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=60)


def test_sending_clears_on_an_error_and_keeps_a_cancelled_call(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite")
    with pytest.raises(EndpointError), cache.sending("bad-key"):
        raise EndpointError("401")
    assert cache.unanswered() == 0
    with pytest.raises(asyncio.CancelledError), cache.sending("cut"):
        raise asyncio.CancelledError
    with pytest.raises(KeyboardInterrupt), cache.sending("interrupted"):
        raise KeyboardInterrupt
    assert cache.unanswered() == 2


def _complete(spec, cache: ResponseCache, content: str = "hi") -> object:
    async def main():
        async with LLMClient(spec, cache=cache, stage="extract") as client:
            return await client.complete([{"role": "user", "content": content}], max_tokens=8)

    return asyncio.run(main())


def test_the_client_leaves_a_mark_only_on_a_call_cut_off_in_flight(serve, tmp_path):
    srv = serve(lambda body, req: "ok")
    cache = ResponseCache(tmp_path / "c.sqlite")
    spec = make_spec(srv, max_retries=1)
    assert _complete(spec, cache).ok and cache.unanswered() == 0  # answered and stored
    srv.script(Reply(status=500), Reply(status=500))
    assert not _complete(spec, cache, "fails").ok and cache.unanswered() == 0  # not paid
    srv.script(Reply(status=401))
    with pytest.raises(EndpointError):
        _complete(spec, cache, "refused")
    assert cache.unanswered() == 0

    srv.script(Reply(hang=True))

    async def cut_off():
        async with LLMClient(spec, cache=cache, stage="extract") as client:
            call = asyncio.ensure_future(
                client.complete([{"role": "user", "content": "slow"}], max_tokens=8))
            while not any(r.body["messages"][0]["content"] == "slow" for r in srv.requests):
                await asyncio.sleep(0.01)
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call

    asyncio.run(cut_off())
    assert cache.unanswered() == 1  # sent, maybe answered: the next process counts it


def test_a_killed_client_process_is_counted_when_its_call_is_sent_again(serve, tmp_path):
    """A real client in a child process is SIGKILLed while its request is in flight."""
    hang = {"on": True}
    srv = serve(lambda body, req: Reply(hang=True) if hang["on"] else "ok")
    path = tmp_path / "c.sqlite"
    code = textwrap.dedent(f"""
        import asyncio
        from leasebench.llm.cache import ResponseCache
        from leasebench.llm.client import LLMClient
        from leasebench.llm.config import EndpointSpec
        spec = EndpointSpec(base_url={srv.url!r}, model="test-model", api_key_env=None,
                            timeout_s=600)
        async def main():
            async with LLMClient(spec, cache=ResponseCache({str(path)!r})) as client:
                await client.complete([{{"role": "user", "content": "hi"}}], max_tokens=8)
        asyncio.run(main())
    """)
    with running([sys.executable, "-c", code]) as proc:
        deadline = time.monotonic() + 60
        while not srv.requests and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert srv.requests, "the child process sent nothing"
    hang["on"] = False
    cache = ResponseCache(path, scope="resumed")
    assert cache.unanswered() == 1
    spec = make_spec(srv)
    assert _complete(spec, cache).ok
    assert cache.resent() == {"resumed": 1} and cache.unanswered() == 0
