"""A private PostgreSQL 15 cluster for fault runs, which may stop it without harming anyone."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class Cluster:
    """A PostgreSQL 15 cluster of this run's own in a temporary directory, run as `postgres`."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="slp-benchload-"))
        self.data = self.folder / "data"
        shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres([PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres"])

    def _as_postgres(self, command: list) -> None:
        quoted = " ".join(f"'{part}'" for part in command)
        subprocess.run(["su", "postgres", "-c", quoted], check=True, capture_output=True)

    def start(self) -> float:
        """Return seconds until the cluster accepts connections."""
        began = time.perf_counter()
        self._as_postgres([PG_BIN / "pg_ctl", "-D", self.data, "-w", "-l", self.folder / "log",
                           "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1",
                           "start"])  # fmt: skip
        return time.perf_counter() - began

    def stop(self) -> None:
        """Stop at once as an outage does: connections are cut, open transactions roll back."""
        self._as_postgres([PG_BIN / "pg_ctl", "-D", self.data, "-w", "-m", "fast", "stop"])

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._as_postgres([PG_BIN / "pg_ctl", "-D", self.data, "-w", "-m", "immediate", "stop"])
        shutil.rmtree(self.folder, ignore_errors=True)
