"""The production stack on loopback: nginx (deploy/nginx.conf.template) terminating TLS with a
certificate made for the test, in front of gunicorn serving production settings.

What the review found, through the real stack: a client sending a byte at a time froze the
portal (gunicorn's sync workers faced clients directly), any body of any size reached Django,
and HTTPS was only ever simulated with a header. Skips with one line where nginx is missing;
CI installs it (.ci/run).
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from string import Template

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "localhost"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port} within 20 seconds")


def _stop(process: subprocess.Popen, stop: signal.Signals = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(stop)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _static_files_collected() -> bool:
    """Return True when collectstatic's manifest is newer than every static source file."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    newest = max(path.stat().st_mtime for path in (ROOT / "static").rglob("*") if path.is_file())
    return manifest.stat().st_mtime > newest


class Stack:
    """nginx on two loopback ports in front of one gunicorn sync worker."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.http_port, self.https_port, self.gunicorn_port = (_free_port() for _ in range(3))
        self.certificate = run_dir / "portal.crt"
        self.access_log = run_dir / "gunicorn-access.log"

    def tls(self) -> ssl.SSLContext:
        """Return a client context that trusts only the test's own certificate."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def https(self, method: str, path: str, **kwargs) -> http.client.HTTPResponse:
        connection = http.client.HTTPSConnection(
            HOST, self.https_port, context=self.tls(), timeout=5
        )
        connection.request(method, path, **kwargs)
        return connection.getresponse()

    def http(self, method: str, path: str, **kwargs) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection(HOST, self.http_port, timeout=5)
        connection.request(method, path, **kwargs)
        return connection.getresponse()

    def reached_gunicorn(self) -> str:
        return self.access_log.read_text() if self.access_log.exists() else ""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require(os.access(NGINX, os.X_OK), "needs nginx (Debian package nginx)")
    require(shutil.which("openssl") is not None, "needs the openssl command")
    run_dir = tmp_path_factory.mktemp("nginx")
    run_dir.chmod(0o777)  # nginx's workers (nobody, when run as root) write temporary bodies
    stack = Stack(run_dir)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
         "-addext", f"subjectAltName=DNS:{HOST}",
         "-keyout", str(run_dir / "portal.key"), "-out", str(stack.certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="slp_portal.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),  # DJANGO_DEBUG unset: production
        DJANGO_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        DATABASE_URL=f"sqlite:///{run_dir / 'portal.sqlite3'}",
        SLP_TRUSTED_PROXY_COUNT="1",
        DJANGO_LOG_LEVEL="WARNING",
    )
    if not _static_files_collected():
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
    config = Template((ROOT / "deploy" / "nginx.conf.template").read_text()).safe_substitute(
        RUN_DIR=run_dir,
        HTTP_LISTEN=f"127.0.0.1:{stack.http_port}",
        HTTPS_LISTEN=f"127.0.0.1:{stack.https_port}",
        SERVER_NAME=HOST,
        CERTIFICATE=stack.certificate,
        CERTIFICATE_KEY=run_dir / "portal.key",
        GUNICORN=f"127.0.0.1:{stack.gunicorn_port}",
    )
    assert "${" not in config
    (run_dir / "nginx.conf").write_text(config)
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "slp_portal.wsgi", "--workers", "1",
         "--bind", f"127.0.0.1:{stack.gunicorn_port}", "--access-logfile", str(stack.access_log),
         "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    nginx = None
    try:
        nginx = subprocess.Popen(
            [NGINX, "-p", str(run_dir), "-c", str(run_dir / "nginx.conf"), "-g", "daemon off;"],
            stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        _wait_for(stack.gunicorn_port, gunicorn, "gunicorn")
        _wait_for(stack.https_port, nginx, "nginx")
        yield stack
    finally:
        if nginx is not None:
            _stop(nginx)  # SIGTERM: nginx's fast shutdown
        _stop(gunicorn, signal.SIGINT)  # gunicorn's quick shutdown (SIGTERM waits for workers)


def test_https_through_nginx_sends_hsts_and_secure_cookies(stack):
    """The portal sees HTTPS only because nginx says so (SECURE_PROXY_SSL_HEADER)."""
    response = stack.https("GET", "/accounts/login/")
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains; preload"
    )
    cookie = response.getheader("Set-Cookie")
    assert cookie.startswith("csrftoken=") and "Secure" in cookie
    assert response.getheader("Server") == "nginx"  # no version given away


def test_plain_http_gets_the_portals_own_redirect_even_when_the_client_claims_https(stack):
    before = stack.reached_gunicorn().count("/accounts/login/?from=http")
    for headers in ({}, {"X-Forwarded-Proto": "https"}):
        response = stack.http("GET", "/accounts/login/?from=http", headers=headers)
        assert response.status == 301
        assert response.getheader("Location") == f"https://{HOST}/accounts/login/?from=http"
        assert response.getheader("Strict-Transport-Security") is None  # never over HTTP
    # The redirect came from the portal (SECURE_SSL_REDIRECT), not from nginx.
    assert stack.reached_gunicorn().count("/accounts/login/?from=http") == before + 2


def _slow_client(port: int) -> socket.socket:
    """Return a connection that has sent half a request and will send nothing more."""
    slow = socket.create_connection(("127.0.0.1", port))
    slow.sendall(b"POST /accounts/login/ HTTP/1.1\r\nHost: localhost\r\nContent-Le")
    return slow


def test_slow_clients_no_longer_block_healthz(stack):
    # Directly against gunicorn, one slow client holds its only sync worker...
    slow = _slow_client(stack.gunicorn_port)
    try:
        direct = http.client.HTTPConnection("127.0.0.1", stack.gunicorn_port, timeout=1)
        with pytest.raises(TimeoutError):
            direct.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            direct.getresponse()
    finally:
        slow.close()
    # ...behind nginx, two slow clients hold nothing: nginx waits for them, not gunicorn.
    slow_ones = [_slow_client(stack.https_port), _slow_client(stack.http_port)]
    try:
        started = time.monotonic()
        response = stack.https("GET", "/healthz")
        assert (response.status, response.read()) == (200, b"ok")
        assert time.monotonic() - started < 1
    finally:
        for slow in slow_ones:
            slow.close()


def test_an_oversized_body_is_refused_before_it_reaches_django(stack):
    with socket.create_connection(("127.0.0.1", stack.https_port)) as raw:
        tls = stack.tls().wrap_socket(raw, server_hostname=HOST)
        tls.sendall(
            b"POST /accounts/login/?oversized HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 1073741824\r\n\r\n"  # 1 GB announced; nothing sent
        )
        tls.settimeout(5)
        assert tls.recv(100).startswith(b"HTTP/1.1 413")
    assert "oversized" not in stack.reached_gunicorn()
