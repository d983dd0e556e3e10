"""A private ``redis-server`` on a Unix socket in the data folder, for the embedded default.

When no Redis URL is configured, ``sohoa serve``, ``sohoa worker`` and ``sohoa demo`` share one
private server: the first to need it starts it, the others find it answering on the socket.
It keeps nothing on disk; the database is the source of truth, and the reconciler re-enqueues
whatever a restart of this server lost.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from contextlib import suppress
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError

from models.errors import UnavailableError

START_TIMEOUT_SECONDS = 10.0


def is_answering(socket: Path) -> bool:
    try:
        return bool(Redis(unix_socket_path=str(socket), socket_timeout=1).ping())
    except (RedisError, OSError):
        return False


def ensure_private_redis(socket: Path) -> bool:
    """Start a private server on ``socket`` unless one answers; True if this call started it."""
    socket = socket.resolve()
    if is_answering(socket):
        return False
    binary = shutil.which("redis-server")
    if binary is None:
        raise UnavailableError(
            "redis-server is not installed; run scripts/setup.sh or set SOHOA_REDIS_URL"
        )
    socket.parent.mkdir(parents=True, exist_ok=True)
    socket.unlink(missing_ok=True)
    subprocess.run(
        [
            binary,
            "--port", "0",
            "--unixsocket", str(socket),
            "--unixsocketperm", "700",
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "yes",
            "--pidfile", str(pid_file(socket)),
            "--logfile", str(socket.with_suffix(".log")),
            "--dir", str(socket.parent),
        ],
        check=True,
    )  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if is_answering(socket):
            return True
        time.sleep(0.05)
    raise UnavailableError(
        f"the private redis-server did not start; see {socket.with_suffix('.log')}"
    )


def stop_private_redis(socket: Path) -> None:
    """Shut the private server down (used by ``sohoa demo`` on Ctrl-C)."""
    # Also raises when it worked: the server closes the connection before answering.
    with suppress(RedisError, OSError):
        Redis(unix_socket_path=str(socket.resolve()), socket_timeout=2).shutdown(nosave=True)


def pid_file(socket: Path) -> Path:
    return socket.with_suffix(".pid")
