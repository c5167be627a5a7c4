"""A real PostgreSQL server for the tests: initdb in a temp dir, a free port, a non-root user.

Started once per test session (per xdist worker) by the ``pg_server`` fixture
and stopped after it; each test gets a fresh database cloned from a migrated
template, so tests never see each other's stories. When the server binaries
or ``psycopg`` are missing (a machine without ``.ci/run``'s packages), the
PostgreSQL half of the store tests is skipped with the reason.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "s3cret-pw"  # a throw-away test server's superuser
SUPERUSER = "newsdesk"
RUN_AS = "postgres"  # Debian's package creates it; else we create one


def server_binaries() -> Path | None:
    """The folder holding ``initdb``/``pg_ctl``/``postgres``, if PostgreSQL is installed."""
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def missing_reason() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None."""
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError:
        return "psycopg not installed (pip install -e '.[postgres]')"
    if server_binaries() is None:
        return "PostgreSQL server not installed (apt-get install postgresql postgresql-contrib)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as_user() -> str | None:
    """initdb refuses root: as root, run the server as an unprivileged user."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(RUN_AS)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", RUN_AS],
            check=True,
            capture_output=True,
        )
    return RUN_AS


@dataclass
class PgServer:
    """One running test server."""

    folder: Path
    port: int
    bin: Path
    user: str | None
    counter: itertools.count[int]

    def url(self, database: str = "postgres", *, password: str = PASSWORD) -> str:
        return f"postgresql://{SUPERUSER}:{password}@127.0.0.1:{self.port}/{database}"

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", self.user, "--", *args] if self.user else list(args)

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            self._cmd(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), *args),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c max_connections=200 "
            "-c shared_buffers=64MB"
        )
        self.pg_ctl("start", "-w", "-t", "60", "-l", str(self.folder / "server.log"), "-o", options)

    def stop(self, mode: str = "fast") -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self.pg_ctl("stop", "-w", "-m", mode)

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def new_database(self) -> str:
        """A fresh, migrated database; returns its URL."""
        name = f"desk_{os.getpid()}_{next(self.counter)}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE newsdesk_template")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with contextlib.suppress(Exception):
            self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start_server() -> PgServer:
    """initdb, start, and prepare the migrated template database."""
    binaries = server_binaries()
    assert binaries is not None
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-pg-"))
    user = _run_as_user()
    pwfile = folder / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if user:
        shutil.chown(folder, user)
        shutil.chown(pwfile, user)
    server = PgServer(folder, _free_port(), binaries, user, itertools.count(1))
    subprocess.run(
        server._cmd(
            str(binaries / "initdb"), "-D", str(folder / "data"), "-U", SUPERUSER,
            f"--pwfile={pwfile}", "--auth-host=scram-sha-256", "--auth-local=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        ),
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    server.start()
    server.admin("CREATE DATABASE newsdesk_template")
    from tui.store.postgres import PgStore

    PgStore.open(server.url("newsdesk_template"), user="setup").close()
    return server


def stop_server(server: PgServer) -> None:
    server.stop("immediate")
    shutil.rmtree(server.folder, ignore_errors=True)
