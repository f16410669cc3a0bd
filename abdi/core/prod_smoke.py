# ruff: noqa: T201, S105, S607 - a command-line script: prints, a test password, PATH tools
"""``make prod-smoke``: the production shape on one machine, driven once through each queue.

Starts gunicorn, a Celery worker and Celery beat with ``config.settings.prod`` on a fresh
PostgreSQL database and the local Redis, then, as a browser would behind nginx (HTTPS said
by ``X-Forwarded-Proto``, CSRF tokens, secure cookies):

1. asks for a password link (accounts: ``send_password_link`` → an email file);
2. signs an agency administrator in with their password and a TOTP code, uploads an
   employee file and applies it (organisations: ``validate_employee_import`` and
   ``apply_employee_import`` → the employee exists);
3. has a citizen apply for a service through the API with a bearer token (layanan: the
   status message goes to the outbox, ``abdi.core.tasks.deliver_pending`` drains it → an
   email file to the citizen);
4. waits for beat's heartbeat (core: ``abdi.core.heartbeat``).

Each task's result (Redis result backend, extended) must name this run's worker, and the
web process runs with eager tasks off, so nothing ran in the web process. Everything
started is stopped and the database dropped, also on failure. Exit status 0 means pass.

    python -m abdi.core.prod_smoke [--keep]
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
BIN = Path(PY).parent
PG = os.environ.get("ABDI_SMOKE_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("ABDI_SMOKE_REDIS", "redis://127.0.0.1:6379")
TIMEOUT = float(os.environ.get("ABDI_SMOKE_TIMEOUT", "90"))
PASSWORD = "rahasia-Abdi-2026"


class SmokeError(Exception):
    pass


def log(message: str) -> None:
    print(f"[prod-smoke {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(what: str, check: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as exc:  # noqa: BLE001 - retried until the deadline
            last = exc
        time.sleep(0.5)
    raise SmokeError(f"timed out after {timeout:.0f} s waiting for {what} (last error: {last})")


class Browser:
    """Just enough of a browser behind nginx: cookies (secure ones too), CSRF, no redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(self._NoRedirect)

    def request(
        self,
        method: str,
        path: str,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        all_headers = {
            "X-Forwarded-Proto": "https",
            "X-Real-IP": "198.51.100.10",
            "Referer": self.origin + path,
            "Origin": self.origin,
            **(headers or {}),
        }
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        req = urllib.request.Request(  # noqa: S310 - our own local server
            self.base + path, data=data, method=method, headers=all_headers
        )
        try:
            response = self.opener.open(req, timeout=30)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        body = response.read().decode("utf-8", "replace")
        return response.status, dict(response.headers.items()), body

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def post_form(
        self, path: str, fields: dict[str, str], page: str
    ) -> tuple[int, dict[str, str], str]:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise SmokeError(f"no CSRF token on the page before POST {path}")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        return self.request(
            "POST", path, data, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def post_file(
        self,
        path: str,
        fields: dict[str, str],
        file_field: str,
        name: str,
        content: bytes,
        page: str,
    ) -> tuple[int, dict[str, str], str]:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise SmokeError(f"no CSRF token on the page before POST {path}")
        body, content_type = multipart(
            {"csrfmiddlewaretoken": token.group(1), **fields}, file_field, name, content
        )
        return self.request("POST", path, body, {"Content-Type": content_type})


def multipart(
    fields: dict[str, str],
    file_field: str,
    name: str,
    content: bytes,
    content_type: str = "application/octet-stream",
) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body of ``fields`` and one file, and its Content-Type."""
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{key}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{name}"\r\nContent-Type: {content_type}\r\n\r\n'
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


SEED = r"""
import json, sys
from django_otp.plugins.otp_totp.models import TOTPDevice
from abdi.organisations.tests.factories import build_agency
from abdi.organisations.tests.import_fixtures import make_row, xlsx_bytes
agency = build_agency(code="kab-smoke", name="Kabupaten Asap")
agency.staff_a.user.email = "agus@smoke.example"
agency.staff_a.user.save()
agency.admin.email = "admin@smoke.example"
agency.admin.save()
device = TOTPDevice.objects.create(user=agency.admin, name="Abdi", confirmed=True)
row = make_row(4242, kode_unit="BID-B", nama="Pegawai Asap")
open(sys.argv[-1], "wb").write(xlsx_bytes([row]))
from abdi.accounts.models import ApiToken, hash_token
from abdi.layanan.tests.factories import make_service
from abdi.organisations.tests.factories import build_citizen
service = make_service(agency)
citizen = build_citizen(username="warga@smoke.example")
raw = ApiToken.generate()
ApiToken.objects.create(user=citizen.user, name="smoke", digest=hash_token(raw), prefix=raw[:8])
print(json.dumps({"admin": agency.admin.username, "staff_nip": agency.staff_a.nip,
                  "totp_key": device.key, "instansi": agency.instansi.pk,
                  "import_nip": row["nip"], "service": str(service.public_id),
                  "citizen_token": raw}))
"""

CHECK_EMPLOYEE = r"""
import sys
from abdi.organisations.models import Employee
print(Employee.objects.filter(nip=sys.argv[-1]).count())
"""


def totp_code(key_hex: str, *, ahead: int = 0) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(bytes.fromhex(key_hex), drift=ahead).token():06d}"


class Smoke:
    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.run_id = f"{os.getpid()}-{secrets.token_hex(3)}"
        self.tmp = Path(tempfile.mkdtemp(prefix="abdi-smoke-"))
        self.db = f"abdi_smoke_{self.run_id.replace('-', '_')}"
        self.port = free_port()
        self.worker_name = f"smoke-{self.run_id}@{socket.gethostname()}"
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.timings: dict[str, float] = {}
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ABDI_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"{PG}/{self.db}",
            "CELERY_BROKER_URL": f"{REDIS}/10",
            "CELERY_RESULT_BACKEND": f"{REDIS}/11",
            "CELERY_RESULT_EXTENDED": "true",
            "CELERY_TASK_DEFAULT_QUEUE": f"smoke-{self.run_id}",
            "REDIS_URL": f"{REDIS}/12",
            "ABDI_BASE_URL": f"https://127.0.0.1:{self.port}",
            "ABDI_VAR_DIR": str(self.tmp),
            "DJANGO_MEDIA_ROOT": str(self.tmp / "media"),
            "DJANGO_STATIC_ROOT": str(self.tmp / "static"),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "DJANGO_EMAIL_FILE_PATH": str(self.tmp / "mail"),
            "ABDI_HEARTBEAT_SECONDS": "2",
            "ABDI_METRICS_TOKEN": "smoke-metrics",
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.env.pop("CI_SETTINGS", None)

    # -- processes -----------------------------------------------------------------------

    def manage(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(  # noqa: S603
            [PY, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            raise SmokeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def start(self, name: str, command: list[str]) -> None:
        out = (self.tmp / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log(f"started {name} (pid {self.processes[name].pid})")

    def stop_all(self) -> None:
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in self.processes.items():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop within 30 s; killing it")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log(f"stopped {name} (exit {process.returncode})")

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise SmokeError(f"{name} exited with {process.returncode}:\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.tmp / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    # -- results -------------------------------------------------------------------------

    def results(self, task: str) -> list[dict[str, Any]]:
        import redis

        client = redis.Redis.from_url(self.env["CELERY_RESULT_BACKEND"])
        found = []
        for key in client.scan_iter("celery-task-meta-*", count=1000):
            raw = client.get(key)
            if not raw:
                continue
            meta = json.loads(raw)
            if (
                meta.get("name") == task
                and meta.get("queue") == self.env["CELERY_TASK_DEFAULT_QUEUE"]
            ):
                found.append(meta)
        return found

    def ran_on_worker(self, task: str) -> dict[str, Any]:
        def done() -> dict[str, Any] | None:
            self.check_alive()
            for meta in self.results(task):
                if meta.get("status") == "SUCCESS":
                    return meta
                if meta.get("status") == "FAILURE":
                    raise SmokeError(f"{task} failed on the worker: {meta.get('result')}")
            return None

        meta = wait_for(f"{task} to succeed on the worker", done)
        if meta.get("worker") != self.worker_name:
            raise SmokeError(f"{task} ran on {meta.get('worker')!r}, not {self.worker_name!r}")
        log(f"ok: {task} ran on {meta['worker']}")
        return meta

    # -- the run -------------------------------------------------------------------------

    def timed(self, name: str, step: Callable[[], Any]) -> Any:
        started = time.monotonic()
        result = step()
        self.timings[name] = time.monotonic() - started
        return result

    def run(self) -> None:
        log(f"run {self.run_id}: database {self.db}, port {self.port}, files in {self.tmp}")
        subprocess.run(  # noqa: S603
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", self.db], check=True
        )
        self.timed("migrate", lambda: self.manage("migrate", "--no-input", "-v", "0"))
        self.manage("check", "--deploy", "--fail-level", "WARNING")
        upload = self.tmp / "pegawai.xlsx"
        seed = self.seed(upload)
        self.timed("start", self.start_processes)
        browser = Browser(self.port)
        self.timed("password link", lambda: self.password_link(browser, seed))
        self.timed(
            "employee import", lambda: self.employee_import(Browser(self.port), seed, upload)
        )
        self.timed(
            "citizen application", lambda: self.citizen_application(Browser(self.port), seed)
        )
        self.timed("beat heartbeat", lambda: self.ran_on_worker("abdi.core.heartbeat"))
        self.check_metrics(browser)
        self.check_web_ran_no_task()

    def seed(self, upload: Path) -> dict[str, Any]:
        script = self.tmp / "seed.py"
        script.write_text(SEED)
        out = self.manage(
            "shell",
            "--no-imports",
            "-c",
            f"import sys; sys.argv.append({str(upload)!r}); exec(open({str(script)!r}).read())",
        )
        return json.loads(out.strip().splitlines()[-1])

    def start_processes(self) -> None:
        self.start(
            "gunicorn",
            [str(BIN / "gunicorn"), "config.wsgi", "--workers", "2", "--threads", "2",
             "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "10",
             "--access-logfile", "-"],
        )  # fmt: skip
        self.start(
            "worker",
            [str(BIN / "celery"), "-A", "config", "worker", "--hostname", self.worker_name,
             "--queues", self.env["CELERY_TASK_DEFAULT_QUEUE"], "--concurrency", "1",
             "--loglevel", "INFO", "--without-gossip", "--without-mingle"],
        )  # fmt: skip
        self.start(
            "beat",
            [str(BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO",
             "--schedule", str(self.tmp / "beat-schedule")],
        )  # fmt: skip
        browser = Browser(self.port)

        def healthy() -> bool:
            self.check_alive()
            status, _, body = browser.get("/healthz")
            data = json.loads(body)
            return status == 200 and data["database"] == "ok" and data["broker"] == "ok"

        wait_for("gunicorn /healthz (database and broker ok)", healthy)
        log("ok: /healthz says database ok, broker ok")

    def password_link(self, browser: Browser, seed: dict[str, Any]) -> None:
        status, _, page = browser.get("/akun/lupa-sandi/")
        if status != 200:
            raise SmokeError(f"GET /akun/lupa-sandi/ answered {status}")
        status, _, _ = browser.post_form(
            "/akun/lupa-sandi/", {"identifier": seed["staff_nip"]}, page
        )
        if status != 200:
            raise SmokeError(f"POST /akun/lupa-sandi/ answered {status}")
        self.ran_on_worker("abdi.accounts.tasks.send_password_link")
        mails = wait_for("the password email", lambda: list((self.tmp / "mail").glob("*.log")))
        text = mails[0].read_text()
        if (
            f"https://127.0.0.1:{self.port}/akun/sandi/" not in text
            or "agus@smoke.example" not in text
        ):
            raise SmokeError(f"the email has no password link for the employee:\n{text[:2000]}")
        log("ok: the password email holds the link")

    def sign_in_admin(self, browser: Browser, seed: dict[str, Any]) -> None:
        _, _, page = browser.get("/akun/masuk/")
        status, headers, _ = browser.post_form(
            "/akun/masuk/", {"username": seed["admin"], "password": PASSWORD}, page
        )
        if status != 302:
            raise SmokeError(f"sign-in answered {status}")
        status, headers, _ = browser.get("/organisasi/impor/")
        if status != 302 or "/akun/totp/verifikasi/" not in headers.get("Location", ""):
            raise SmokeError(f"an administrator was not asked for a TOTP code ({status})")
        _, _, page = browser.get("/akun/totp/verifikasi/")
        status, _, _ = browser.post_form(
            "/akun/totp/verifikasi/", {"token": totp_code(seed["totp_key"])}, page
        )
        if status != 302:
            raise SmokeError(f"the TOTP code was refused ({status})")
        log("ok: administrator signed in with password and TOTP code")

    def employee_import(self, browser: Browser, seed: dict[str, Any], upload: Path) -> None:
        self.sign_in_admin(browser, seed)
        status, _, page = browser.get("/organisasi/impor/")
        if status != 200:
            raise SmokeError(f"GET /organisasi/impor/ answered {status}")
        status, headers, body = browser.post_file(
            "/organisasi/impor/", {"instansi": str(seed["instansi"])}, "file",
            "pegawai.xlsx", upload.read_bytes(), page,
        )  # fmt: skip
        if status != 302:
            raise SmokeError(f"the upload answered {status}:\n{body[:1500]}")
        detail = headers["Location"]
        self.ran_on_worker("abdi.organisations.tasks.validate_employee_import")

        def ready() -> str | None:
            _, _, page = browser.get(detail)
            return page if "/terapkan/" in page else None

        page = wait_for("the import preview to offer Apply", ready)
        status, _, _ = browser.post_form(detail + "terapkan/", {}, page)
        if status != 302:
            raise SmokeError(f"applying the import answered {status}")
        self.ran_on_worker("abdi.organisations.tasks.apply_employee_import")
        count = self.manage("shell", "--no-imports", "-c", CHECK_EMPLOYEE.replace(
            "sys.argv[-1]", repr(seed["import_nip"])))  # fmt: skip
        if count.strip().splitlines()[-1] != "1":
            raise SmokeError("the imported employee is not in the database")
        log("ok: the imported employee exists")

    def citizen_application(self, browser: Browser, seed: dict[str, Any]) -> None:
        """A citizen applies through the API; the worker drains the message from the outbox."""
        body, content_type = multipart(
            {"data": '{"no_kk": "3404071403920003"}'},
            "kk", "kk.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf",
        )  # fmt: skip
        status, _, answer = browser.request(
            "POST",
            f"/api/v1/layanan/services/{seed['service']}/applications",
            body,
            {
                "Content-Type": content_type,
                "Authorization": f"Bearer {seed['citizen_token']}",
                "Idempotency-Key": uuid.uuid4().hex,
            },
        )
        if status != 201:
            raise SmokeError(f"the application answered {status}:\n{answer[:1500]}")
        code = json.loads(answer)["tracking_code"]
        self.ran_on_worker("abdi.core.tasks.deliver_pending")

        def mailed() -> str | None:
            for mail in (self.tmp / "mail").glob("*.log"):
                text = mail.read_text(errors="replace")
                if "warga@smoke.example" in text and "KTP-el Baru" in text:
                    return text
            return None

        wait_for("the citizen's status email", mailed)
        log(f"ok: application {code} submitted; the worker emailed the citizen")

    def check_metrics(self, browser: Browser) -> None:
        status, _, public = browser.get("/metrics")
        if status != 404:
            raise SmokeError(f"/metrics is public ({status})")

        def scraped() -> str | None:
            status, _, body = browser.request(
                "GET", "/metrics", headers={"Authorization": "Bearer smoke-metrics"}
            )
            if status != 200 or 'abdi_http_requests_total{status_class="2xx"}' not in body:
                raise SmokeError(f"/metrics with the token answered {status}:\n{body[:500]}")
            return body if "abdi_celery_tasks_total{" in body else None

        # The worker sends its counts in batches, within metrics_counters.FLUSH_SECONDS.
        wait_for("/metrics to count the worker's tasks", scraped, timeout=15)
        log("ok: /metrics counts requests and the worker's tasks, and is not public")

    def check_web_ran_no_task(self) -> None:
        log_text = (self.tmp / "gunicorn.log").read_text(errors="replace")
        if re.search(r"Task \S+\[[0-9a-f-]+\] succeeded", log_text):
            raise SmokeError("the web process ran a task itself")
        beat_log = (self.tmp / "beat.log").read_text(errors="replace")
        if "Sending due task core-heartbeat" not in beat_log:
            raise SmokeError("beat did not send the heartbeat")
        log("ok: beat scheduled, the worker ran every task, the web process none")

    def cleanup(self) -> None:
        self.stop_all()
        try:
            import redis

            queue = self.env["CELERY_TASK_DEFAULT_QUEUE"]
            redis.Redis.from_url(self.env["CELERY_BROKER_URL"]).delete(queue)
            results = redis.Redis.from_url(self.env["CELERY_RESULT_BACKEND"])
            for key in results.scan_iter("celery-task-meta-*", count=1000):
                raw = results.get(key)
                if raw and json.loads(raw).get("queue") == queue:
                    results.delete(key)
        except Exception as exc:  # noqa: BLE001
            log(f"could not tidy Redis: {exc}")
        if self.keep:
            log(f"kept database {self.db} and {self.tmp}")
            return
        subprocess.run(  # noqa: S603
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", self.db],
            check=False,
        )
        shutil.rmtree(self.tmp, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    args = parser.parse_args()
    smoke = Smoke(keep=args.keep)
    started = time.monotonic()
    try:
        smoke.run()
    except (SmokeError, subprocess.CalledProcessError) as exc:
        log(f"FAILED: {exc}")
        for name in smoke.processes:
            print(f"--- last lines of {name}.log ---\n{smoke.tail(name)}", flush=True)
        return 1
    finally:
        smoke.cleanup()
    figures = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in smoke.timings.items())
    log(f"PASSED in {time.monotonic() - started:.0f} s ({figures})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
