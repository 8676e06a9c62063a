"""A throwaway ``redis-server`` on a free loopback port, persistence off, stopped by its pid.

One job: give the Redis tests and the fleet benchmark a real server of their own
(no mocks, no fakeredis). ``RedisServer().start()`` blocks until it answers PING;
``stop()`` ends exactly that process; ``start()`` again restarts it on the same
port (an outage in the middle of a run).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time

START_TIMEOUT = 10.0  # seconds


def redis_server_path() -> str | None:
    """The ``redis-server`` executable, if this machine has one."""
    return shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """One ``redis-server`` child process."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port if port is not None else free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Start the server (persistence off) and wait until it answers PING."""
        executable = redis_server_path()
        if executable is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        # ``--save ''`` and ``--appendonly no``: nothing is written, a restart starts empty.
        self._process = subprocess.Popen(
            [
                executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not self._answers_ping():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop this server by its pid and reap it."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(START_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()

    def _answers_ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False
