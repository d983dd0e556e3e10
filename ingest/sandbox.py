"""Reading untrusted files in a child process with limits, so a bad file cannot take a worker down.

An upload is parsed by C libraries (qpdf through pikepdf, Pillow's decoders, poppler). On a
hostile or broken file they can crash (a segfault would end the worker and every job after it),
loop for ever (a hang in C is not interrupted by rq's alarm), or allocate without bound. So the
step runs in a child started from a fork server (``multiprocessing`` "forkserver", its imports
done once per worker, a child costs milliseconds), with limits set in the child:

* ``RLIMIT_AS``: address space, so an allocation beyond it fails (``MemoryError``) instead of
  the host swapping; programs the child runs (``pdftoppm``) inherit it;
* a wall-clock bound on every step, kept by the parent: no answer in time, the child's whole
  process group is killed;
* ``RLIMIT_CPU``: processor time, renewed at every step, so that a child whose parent died
  does not spin on for ever.

The child answers through a ``Channel``; each ``send`` ends a step. Whatever stops it becomes a
``ReadAbortedError`` (permanent, a reason for the desk): ``parse_crashed`` (killed by a signal),
``parse_timeout`` (out of time), ``parse_memory`` (out of memory). An error the step raises on
purpose (a ``SohoaError``) reaches the parent as it was raised.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import pickle
import resource
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerProcess, set_spawning_popen
from typing import Any

from models.config import MEBIBYTE, Settings
from models.errors import ReadAbortedError

_MESSAGE, _ERROR, _OUT_OF_MEMORY = "message", "error", "memory"
_CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGABRT}


@dataclass(frozen=True)
class Limits:
    """What one child may use: ``memory_mib`` of address space, ``seconds`` per step."""

    memory_mib: int
    seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(memory_mib=settings.parse_memory_mib, seconds=settings.parse_seconds)


class Channel:
    """The child's end: each message sent ends a step and renews its processor time."""

    def __init__(self, connection: Connection, limits: Limits) -> None:
        self._connection = connection
        self._limits = limits
        self.renew()

    def send(self, message: object) -> None:
        self._connection.send((_MESSAGE, message))
        self.renew()

    def receive(self) -> Any:
        return self._connection.recv()

    def renew(self) -> None:
        """Allow ``seconds`` more processor time, two seconds past the parent's clock so that the
        parent's clearer "out of time" is the one usually given."""
        usage = resource.getrusage(resource.RUSAGE_SELF)
        used = usage.ru_utime + usage.ru_stime
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        soft = int(used + self._limits.seconds) + 2
        limited = hard == resource.RLIM_INFINITY
        resource.setrlimit(resource.RLIMIT_CPU, (soft if limited else min(soft, hard), hard))


def _child(step: Callable[..., None], connection: Connection, limits: Limits, *args: Any) -> None:
    """Enter the limits, run ``step``, and hand back whatever stopped it."""
    os.setpgid(0, 0)  # its own group, so that programs it runs are killed with it
    memory = limits.memory_mib * MEBIBYTE
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        step(Channel(connection, limits), *args)
    except MemoryError:
        connection.send((_OUT_OF_MEMORY, None))
    except Exception as e:
        connection.send((_ERROR, _picklable(e)))


def _picklable(error: Exception) -> Exception:
    """The error itself when it crosses a pipe whole, else its type and text (parser errors
    carry C++ state that does not)."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


class _Launch(popen_forkserver.Popen):
    """The fork server's launch, less the re-import of ``__main__`` in every child.

    ``multiprocessing`` has each child run the parent's main module again: for a worker that is
    the ``sohoa`` script, whose import of the whole CLI and API takes seconds, once per
    document. The step is found by its module, which the fork server has imported already.
    The rest is ``popen_forkserver.Popen._launch`` (Python 3.11-3.13) as it is.
    """

    def _launch(self, process_obj: Any) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        for key in ("init_main_from_name", "init_main_from_path"):
            prep_data.pop(key, None)
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)  # type: ignore[attr-defined]
        _parent_w = os.dup(w)
        close = util.close_fds  # type: ignore[attr-defined]
        self.finalizer = util.Finalize(self, close, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> _Launch:
        return _Launch(process_obj)


class Sandbox:
    """The parent's end of one child running ``step(channel, *args)``, one per document.

    ``reader`` names what reads the file in the reasons given ("the PDF reader"). The fork
    server imports ``step``'s module and ``preload`` once, when this process first starts a
    child; the modules a step would otherwise import lazily belong in ``preload``.
    """

    def __init__(
        self,
        step: Callable[..., None],
        args: tuple[Any, ...],
        limits: Limits,
        *,
        reader: str,
        preload: Sequence[str] = (),
    ) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([step.__module__, *preload])
        self._connection, child_end = context.Pipe()
        self._process = _Process(target=_child, args=(step, child_end, limits, *args), daemon=True)
        self._child_end = child_end
        self.limits = limits
        self.reader = reader

    def __enter__(self) -> Sandbox:
        self._process.start()
        self._child_end.close()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def send(self, message: object) -> None:
        with contextlib.suppress(OSError):  # a child that is gone says why on receive
            self._connection.send(message)

    def receive(self) -> Any:
        """The child's next message, within the step's time; raises what stopped the child."""
        if not self._connection.poll(self.limits.seconds):
            self.stop()
            raise read_timeout(self.limits.seconds, self.reader)
        try:
            kind, payload = self._connection.recv()
        except (EOFError, OSError):
            self._process.join(5)
            raise self._died() from None
        if kind == _OUT_OF_MEMORY:
            raise read_out_of_memory(self.limits.memory_mib, self.reader)
        if kind == _ERROR:
            raise payload
        return payload

    def stop(self) -> None:
        """Kill the child and what it started, if still running, and reap it."""
        if self._process.pid is not None and self._process.exitcode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.kill()
            self._process.join(5)
        self._connection.close()

    def _died(self) -> ReadAbortedError:
        code = self._process.exitcode
        if code is not None and code < 0 and -code == signal.SIGXCPU:
            return read_timeout(self.limits.seconds, self.reader, processor=True)
        if code is not None and code < 0 and -code in _CRASH_SIGNALS:
            return read_crashed(self.reader, signal.Signals(-code).name)
        return read_crashed(self.reader, f"exit status {code}")


def read_timeout(seconds: float, reader: str, *, processor: bool = False) -> ReadAbortedError:
    what = "of processor time" if processor else ""
    return ReadAbortedError(
        f"The file could not be read within {seconds:g} s{' ' + what if what else ''}: "
        f"{reader} got stuck on it. The file is probably damaged or malformed: upload the "
        f"original file again, or scan the paper again.",
        code="parse_timeout",
    )


def read_out_of_memory(memory_mib: int, reader: str) -> ReadAbortedError:
    return ReadAbortedError(
        f"Reading the file needed more than {memory_mib} MiB of memory, so {reader} was "
        f"stopped. The file is probably damaged or declares absurd sizes: scan the paper again "
        f"at 300 dpi, or upload the original file again.",
        code="parse_memory",
    )


def read_crashed(reader: str, how: str) -> ReadAbortedError:
    return ReadAbortedError(
        f"{reader[0].upper() + reader[1:]} crashed on this file ({how}). The file is probably "
        f"damaged or malformed: upload the original file again, or scan the paper again.",
        code="parse_crashed",
    )
