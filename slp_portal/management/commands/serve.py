"""`python manage.py serve [ADDRPORT]`: the development server and the task worker, together.

`make run` uses it, so one command serves the portal and runs the imports it queues. Each runs
in a session of its own, with Django's autoreloader, so Ctrl-C reaches this command only; it
then stops both and waits for them. The worker finishes the chunk it is writing only if that
takes less than GRACE seconds; otherwise it is killed, and the import's transaction rolls back
(the batch page then offers to run it again).
"""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandParser

GRACE = 10  # seconds each process has to stop after Ctrl-C


class Command(BaseCommand):
    help = "Run the development server and the import worker beside it; Ctrl-C stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options) -> None:
        # Ctrl-C, and a plain `kill`, stop both (even where the shell started this ignoring them).
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        manage = [sys.executable, "manage.py"]
        processes = [  # our own manage.py with fixed arguments
            subprocess.Popen(  # noqa: S603
                [*manage, "db_worker", "--no-startup-delay"], start_new_session=True
            ),
            subprocess.Popen([*manage, "runserver", addrport], start_new_session=True),  # noqa: S603
        ]
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
            self.stderr.write("One of the two stopped; stopping the other.")
        except KeyboardInterrupt:
            pass
        finally:
            _stop(processes)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop(processes: list[subprocess.Popen]) -> None:
    """Interrupt each process's whole group (it and its reloaded child); kill stragglers."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
    deadline = time.monotonic() + GRACE
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
