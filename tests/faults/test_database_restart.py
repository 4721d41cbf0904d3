"""PostgreSQL stopped and started again under a running server: the requests it cuts fail
cleanly (a 503 in Vietnamese, JSON under /api/), nothing of them is half-written, and the same
server process answers again once the database is back, without a restart.

The server (gunicorn) runs against a throw-away cluster of the test's own (tests/faults/
cluster.py). Runs when the suite runs on PostgreSQL (CI does); skipped on SQLite.
"""

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.faults.cluster import Cluster, free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
UNAVAILABLE = "Cơ sở dữ liệu tạm thời không truy cập được"

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="a PostgreSQL fault: runs with the suite on it"
    ),
]


def request(url, *, method="GET", body=None, token=None, session=None):
    """(status, content type, text) of one request; errors are answers too."""
    headers = {"Accept": "application/json, text/html"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Token {token}"
    if session:
        headers["Cookie"] = f"sessionid={session}"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


@pytest.fixture
def cluster():
    cluster = Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def server(cluster, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "CONN_MAX_AGE": "60",
        "DEBUG": "0",
        "TUYENGIAO_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tuyengiao.settings",
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "tuyengiao", "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
    )
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.faults.seed"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    data = json.loads(seeded.stdout.strip().splitlines()[-1])
    port = free_port()
    process = subprocess.Popen(
        [bin_dir / "gunicorn", "tuyengiao.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--threads", "4", "--timeout", "60"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return request(f"{base}/login/")[0] == 200
        except OSError:
            return False

    try:
        wait_until(up, 30, "the server to answer")
        yield {"base": base, "process": process, **data}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def stored(cluster, report_id, root_id):
    """What the database holds of the report: its version, its unit's values, the root's
    roll-up of them."""
    with psycopg.connect(cluster.url) as db:
        version = db.execute("SELECT version FROM figures_report WHERE id = %s", [report_id])
        values = db.execute(
            "SELECT i.code, v.number FROM figures_value v "
            "JOIN figures_indicator i ON i.id = v.indicator_id "
            "JOIN figures_report r ON r.unit_id = v.unit_id AND r.period = v.period "
            "WHERE r.id = %s ORDER BY i.code",
            [report_id],
        ).fetchall()
        rollup = db.execute(
            "SELECT i.code, r.total FROM figures_rollup r "
            "JOIN figures_indicator i ON i.id = r.indicator_id "
            "WHERE r.unit_id = %s AND r.period = '2026-01' AND r.count > 0 ORDER BY i.code",
            [root_id],
        ).fetchall()
        return version.fetchone()[0], values, rollup


def test_a_database_restart_fails_the_requests_it_cuts_cleanly_and_the_server_serves_again(
    cluster, server
):
    base, token, session = server["base"], server["token"], server["session"]
    report_url = f"{base}/api/reports/{server['report']}/"
    page_url = f"{base}/figures/reports/{server['report']}/"
    assert request(report_url, token=token)[0] == 200
    assert request(page_url, session=session)[0] == 200
    before = stored(cluster, server["report"], server["root"])
    assert before[1] == [("HV_CHITIEU", 400_000), ("LOP_KH", 30_000), ("LOP_TH", 20_000)]

    # A save in flight: its values are written, then it waits for the roll-up row of the root
    # that this connection holds; the database stops under it.
    holder = psycopg.connect(cluster.url)
    holder.execute(
        "SELECT 1 FROM figures_rollup WHERE unit_id = %s FOR UPDATE", [server["root"]]
    ).fetchall()
    answers = {}

    def save():
        answers["save"] = request(
            f"{report_url}values/",
            method="PATCH",
            body={"version": before[0], "values": {"LOP_KH": 9, "LOP_TH": 9, "BCV": 4}},
            token=token,
        )

    saving = threading.Thread(target=save)
    saving.start()

    watcher = psycopg.connect(cluster.url, autocommit=True)  # sees activity as it is now

    def waiting():
        rows = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE '%%figures_rollup%%'"
        ).fetchone()
        return rows[0] > 0

    wait_until(waiting, 20, "the save to wait for the roll-up row")
    watcher.close()
    cluster.stop()
    saving.join(timeout=30)
    holder.close()
    status, kind, text = answers["save"]
    assert status == 503, text
    assert kind.startswith("application/json")
    assert json.loads(text)["detail"].startswith(UNAVAILABLE)

    # While it is down: the API in JSON, a page as a page, both 503.
    status, kind, text = request(report_url, token=token)
    assert (status, kind.split(";")[0]) == (503, "application/json"), text
    status, kind, text = request(page_url, session=session)
    assert (status, kind.split(";")[0]) == (503, "text/html"), text
    assert UNAVAILABLE in text

    cluster.start()

    # The same process serves again, and the cut save left nothing behind.
    assert server["process"].poll() is None
    status, _kind, text = request(report_url, token=token)
    assert status == 200, text
    assert json.loads(text)["version"] == before[0]
    assert request(page_url, session=session)[0] == 200
    assert stored(cluster, server["report"], server["root"]) == before

    # ... and a save now lands whole.
    status, _kind, text = request(
        f"{report_url}values/",
        method="PATCH",
        body={"version": before[0], "values": {"LOP_KH": 9, "LOP_TH": 9}},
        token=token,
    )
    assert status == 200, text
    version, values, rollup = stored(cluster, server["report"], server["root"])
    assert version == before[0] + 1
    assert dict(values)["LOP_KH"] == 90_000 and dict(rollup)["LOP_KH"] == 90_000
