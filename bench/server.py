"""What the benchmarks share: gunicorn with production settings, and a loopback HTTP client.

`start_gunicorn` serves `slp_portal.wsgi` on 127.0.0.1:PORT (`BENCH_PORT`, default 8021) with
the environment of `production_environment`; `request` sends one request on a fresh connection;
`sign_in` goes through the real sign-in form, and its two-factor step when given the secret.
Imported by bench/dashboard.py and bench/load.py; never by the portal.
"""

from __future__ import annotations

import html.parser
import http.client
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8021"))


def production_environment() -> dict[str, str]:
    """Return gunicorn's environment: production settings, a throwaway key, loopback only."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="slp_portal.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; production sits behind TLS
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def start_gunicorn(env: dict[str, str], *, workers: int = 2) -> subprocess.Popen:
    """Return the running gunicorn once /healthz answers (collects static files first)."""
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "slp_portal.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; is port {PORT} free?")
        try:
            if request("/healthz").status == 200:
                return server
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz within 30 seconds")


def stop_gunicorn(server: subprocess.Popen) -> None:
    """Stop the gunicorn this run started: its master stops its workers (SIGKILL if stuck)."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # its own session: the master and its workers
            server.wait()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes  # as sent: still compressed when Content-Encoding says so
    wire_bytes: int  # status line, headers and body
    cookies: dict[str, str]


def request(path: str, *, cookies: dict | None = None, headers: dict | None = None,
            form: dict | None = None, timeout: float = 60) -> Reply:  # fmt: skip
    """Return the server's reply to one GET (or POST of `form`) on a fresh loopback connection."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    sent = {"Host": f"127.0.0.1:{PORT}", **(headers or {})}
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request("POST" if form is not None else "GET", path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read()
        raw = response.msg.items()
    finally:
        connection.close()
    head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n\r\n") + sum(
        len(f"{k}: {v}\r\n") for k, v in raw
    )
    jar = {}
    for key, value in raw:
        if key.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
    return Reply(response.status, dict(raw), content, head + len(content), jar)


class PageParser(html.parser.HTMLParser):
    """Collects a page's stylesheets, scripts and CSRF token."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.csrf = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and "stylesheet" in (found.get("rel") or "").split() and found.get("href"):
            self.urls.append(found["href"])
        elif tag == "script" and found.get("src"):
            self.urls.append(found["src"])
        elif tag == "input" and found.get("name") == "csrfmiddlewaretoken":
            self.csrf = found.get("value") or ""


def csrf_token(page: Reply) -> str:
    """Return the CSRF token of the page's forms."""
    parser = PageParser()
    parser.feed(page.body.decode())
    return parser.csrf


def post_form(path: str, cookies: dict[str, str], form: dict[str, str]) -> Reply:
    """Return the reply to a form POST sent as a browser sends it (Referer for CSRF)."""
    return request(
        path, cookies=cookies, form=form,
        headers={"Referer": f"http://127.0.0.1:{PORT}{path}"},
    )  # fmt: skip


def sign_in(username: str, password: str, *, totp_key: bytes | None = None) -> dict[str, str]:
    """Return the session cookies after signing in through the real sign-in form.

    With `totp_key` (the authenticator's secret) it also passes the two-factor step, as admins
    and strategic leads must.
    """
    page = request("/accounts/login/")
    reply = post_form(
        "/accounts/login/", page.cookies,
        {"csrfmiddlewaretoken": csrf_token(page), "username": username, "password": password,
         "next": "/"},
    )  # fmt: skip
    if reply.status != 302 or "sessionid" not in reply.cookies:
        raise RuntimeError(f"signing in as {username} failed: {reply.status}")
    cookies = {**page.cookies, **reply.cookies}
    # As a browser does, follow the redirect: the password step sends everyone to `next`, and
    # the portal's middleware then sends a lead or admin on to the two-factor step.
    landing = request(urlsplit(reply.headers.get("Location", "/")).path, cookies=cookies)
    cookies.update(landing.cookies)
    location = urlsplit(landing.headers.get("Location", "")).path
    if landing.status == 302 and location == "/accounts/two-factor/":
        if totp_key is None:
            raise RuntimeError(f"{username} is asked for a two-factor code; no secret given")
        from django_otp.oath import totp

        step = request("/accounts/two-factor/?next=/", cookies=cookies)
        cookies.update(step.cookies)
        # One code per sign-in: django-otp refuses a code already used in its 30 s step.
        reply = post_form(
            "/accounts/two-factor/", cookies,
            {"csrfmiddlewaretoken": csrf_token(step), "code": f"{totp(totp_key):06d}",
             "next": "/"},
        )  # fmt: skip
        if reply.status != 302 or urlsplit(reply.headers.get("Location", "")).path != "/":
            raise RuntimeError(f"{username}'s two-factor code was refused: {reply.status}")
        cookies.update(reply.cookies)
    home = request("/", cookies=cookies)
    if home.status != 200 or b'<h1 class="h2">Dashboard</h1>' not in home.body:
        raise RuntimeError(
            f"the dashboard did not answer {username} signed in: {home.status} "
            f"{home.headers.get('Location', '')}"
        )
    return cookies
