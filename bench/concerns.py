"""Intake of public-concern reports through the REST API under load, served as in production.

Data: province PROVINCE's communes (from `org_import`/`deadlines` when present, imported
otherwise), COLLABORATORS collaborator accounts spread over them (`bench.ctv.NNN`, each with a
DRF token derived from its name) and two province office staff (told of urgent reports). Reused
when present.

The app runs as `make serve` runs it: gunicorn `tuyengiao.wsgi`, WORKERS workers × THREADS
threads, DEBUG off, the settings' CONN_MAX_AGE, on a free loopback port. A bounded load
generator — CONCURRENCY keep-alive connections, one Python thread each (http.client) — posts
reports for BENCH_SECONDS (60) after WARMUP seconds: a random collaborator, topic and
Vietnamese text without personal data, ~5 % urgent, each with a fresh client_id; ~3 % of the
accepted reports are sent again, on another connection, with the same client_id (they must be
answered 200 with the same report). Then the count check in the database, and the rows this
run made are deleted (reports, their audit entries, notifications and mail tasks).
"""

import hashlib
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import deque
from pathlib import Path

from ._common import note, province_communes

PROVINCE = "79"
COLLABORATORS = 300
OFFICE_STAFF = 2
APP = os.environ.get("BENCH_APP", "tuyengiao.wsgi")  # another WSGI module, to try a change
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "5"))
URGENT_SHARE = 0.05
RESEND_SHARE = 0.03
EXPLICIT_UNIT_SHARE = 0.5  # the other half lets the unit default to the collaborator's own
SEED = 5
URL = "/api/concern-reports/"

# Texts -------------------------------------------------------------------------------------

TOPIC_ISSUES = {
    "dat-dai": [
        "Chậm bồi thường giải phóng mặt bằng dự án đường liên xã",
        "Giá đất bồi thường thấp hơn giá thị trường",
        "Chậm cấp giấy chứng nhận quyền sử dụng đất",
        "Lấn chiếm đất công làm quán bán hàng",
    ],
    "moi-truong": [
        "Khói bụi từ các lò gạch thủ công",
        "Nước thải chăn nuôi chảy ra kênh thủy lợi",
        "Rác thải tồn đọng ở bãi tập kết tạm",
        "Mùi hôi từ cơ sở chế biến nông sản",
    ],
    "gia-ca-doi-song": [
        "Giá phân bón và thức ăn chăn nuôi tăng",
        "Giá lúa xuống thấp, thương lái ép giá",
        "Thanh niên thiếu việc làm sau mùa vụ",
        "Tiền điện sinh hoạt tăng cao trong mùa nắng",
    ],
    "y-te": [
        "Trạm y tế xã thiếu thuốc bảo hiểm",
        "Thời gian chờ khám bệnh ở bệnh viện huyện kéo dài",
        "Lo ngại sốt xuất huyết tăng sau mưa",
    ],
    "giao-duc": [
        "Các khoản thu đầu năm học ở trường tiểu học",
        "Thiếu phòng học sau khi sáp nhập điểm trường",
        "Dạy thêm, học thêm ngoài giờ",
    ],
    "chinh-sach-xa-hoi": [
        "Chậm chi trả trợ cấp cho người cao tuổi",
        "Bình xét hộ nghèo chưa công khai",
        "Hỗ trợ nhà ở cho hộ khó khăn chậm triển khai",
    ],
    "thien-tai": [
        "Sạt lở bờ sông đe dọa nhà dân",
        "Đường vào thôn ngập sâu sau mưa lớn",
        "Dịch tả lợn châu Phi xuất hiện trở lại",
    ],
    "an-ninh-trat-tu": [
        "Xe tải chạy tốc độ cao qua khu dân cư",
        "Tụ tập thanh thiếu niên gây ồn ào ban đêm",
        "Lo ngại lừa đảo qua mạng nhắm vào người cao tuổi",
    ],
    "dich-vu-cong": [
        "Thủ tục chứng thực ở xã phải đi lại nhiều lần",
        "Dịch vụ công trực tuyến khó sử dụng với người lớn tuổi",
        "Chậm trả kết quả hồ sơ đăng ký kinh doanh",
    ],
    "to-chuc-bo-may": [
        "Băn khoăn về trụ sở làm việc sau sắp xếp xã",
        "Cán bộ dôi dư sau sáp nhập chưa được bố trí",
        "Người dân phải đi xa hơn để làm thủ tục sau sáp nhập",
    ],
    "ton-giao-dan-toc": [
        "Chậm hỗ trợ sinh kế cho đồng bào vùng cao",
        "Sửa chữa đình làng trước lễ hội",
    ],
    "tham-nhung": [
        "Công trình nhà văn hóa thôn xuống cấp nhanh",
        "Chưa công khai các khoản đóng góp xây dựng đường",
    ],
    "khac": [
        "Thông tin sai lệch lan truyền trên mạng xã hội",
        "Đề nghị lắp đèn chiếu sáng đường liên thôn",
    ],
}
OPENINGS = [
    "Bà con {place} phản ánh về việc {issue}.",
    "Nhiều người dân {place} bàn tán về chuyện {issue}.",
    "Tại buổi sinh hoạt chi bộ, đảng viên {place} nêu ý kiến về {issue}.",
    "Trên nhóm mạng xã hội của {place} có nhiều bình luận về {issue}.",
]
DETAILS = [
    "Tình trạng này kéo dài khoảng {n} tháng nay.",
    "Ước tính có {k} hộ bị ảnh hưởng.",
    "Một số hộ đã kiến nghị tại hội nghị tiếp xúc cử tri nhưng chưa có trả lời.",
    "Mức độ quan tâm tăng sau trận mưa ngày {d}/{m}.",
    "Khoảng {p}% số người được hỏi cho rằng cần xử lý sớm.",
]
CLOSINGS = [
    "Người dân mong chính quyền sớm có câu trả lời.",
    "Đề nghị cơ quan chức năng kiểm tra, xử lý dứt điểm.",
    "Bà con đồng tình nếu được giải thích rõ chính sách.",
    "",
]
SPREADS = ["few", "local", "local", "several", "wide"]
MOODS = ["agree", "neutral", "worried", "worried", "discontent"]
SOURCES = ["daily_life", "daily_life", "meeting", "press", "online"]


def report_text(rng: random.Random, code: str, villages: list[str]) -> tuple[str, str]:
    issue = rng.choice(TOPIC_ISSUES.get(code) or TOPIC_ISSUES["khac"])
    place = rng.choice(
        [f"thôn {rng.choice(villages)}", f"khu phố {rng.randint(1, 12)}", "trong xã"]
    )
    sentences = [
        rng.choice(OPENINGS).format(place=place, issue=issue[0].lower() + issue[1:]),
        rng.choice(DETAILS).format(
            n=rng.randint(2, 18),
            k=rng.randint(5, 300),
            d=rng.randint(1, 28),
            m=rng.randint(1, 12),
            p=rng.randint(30, 90),
        ),
        rng.choice(CLOSINGS),
    ]
    return issue, " ".join(s for s in sentences if s)


# Data --------------------------------------------------------------------------------------


def token_key(username: str) -> str:
    return hashlib.sha1(f"bench-concerns:{username}".encode()).hexdigest()


def _accounts(province, communes) -> list[tuple[str, int]]:
    """(token key, commune id) of each collaborator, made when missing or different."""
    from rest_framework.authtoken.models import Token

    from tuyengiao.org.models import Role, User

    wanted = {
        f"bench.ctv.{i + 1:03d}": (communes[i % len(communes)], Role.COLLABORATOR)
        for i in range(COLLABORATORS)
    }
    wanted |= {f"bench.tinh.{i + 1}": (province, Role.STAFF) for i in range(OFFICE_STAFF)}
    have = {
        u.username: (u.unit_id, u.role)
        for u in User.objects.filter(username__in=wanted).select_related("auth_token")
        if getattr(u, "auth_token", None) is not None and u.auth_token.key == token_key(u.username)
    }
    missing = [n for n, (unit, role) in wanted.items() if have.get(n) != (unit.pk, role)]
    if missing:
        note(f"creating {len(missing)} bench accounts with their tokens")
        User.objects.filter(username__in=missing).delete()
        users = []
        for name in missing:
            unit, role = wanted[name]
            user = User(username=name, unit=unit, role=role)
            user.set_unusable_password()
            users.append(user)
        User.objects.bulk_create(users)
        created = User.objects.filter(username__in=missing)
        Token.objects.bulk_create(Token(user=u, key=token_key(u.username)) for u in created)
    else:
        note(f"reusing {len(wanted)} bench accounts")
    return [
        (token_key(name), unit.pk)
        for name, (unit, role) in sorted(wanted.items())
        if role == Role.COLLABORATOR
    ]


# The server --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(port: int) -> subprocess.Popen:
    from gunicorn import config as gunicorn_config

    gunicorn = Path(sys.executable).parent / "gunicorn"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "tuyengiao.settings",
    }
    env.pop("CONN_MAX_AGE", None)  # the settings' default, as a deployment that sets none
    command = [
        str(gunicorn),
        APP,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
    ]
    if hasattr(gunicorn_config, "ControlSocketDisable"):  # gunicorn >= 25.1
        command.append("--no-control-socket")  # another server's control socket is not ours
    note(f"starting {' '.join(command[1:])}")
    # The server's output goes to stderr: stdout carries only the JSON line.
    return subprocess.Popen(command, env=env, stdout=sys.stderr.fileno(), cwd=Path.cwd())


def _wait_ready(port: int, key: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bench: gunicorn exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/concern-topics/", headers={"Authorization": f"Token {key}"})
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("bench: gunicorn did not answer in time")


def _stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# The load ----------------------------------------------------------------------------------


class Load:
    """What the connections share: the clock, the resend queue and the results."""

    def __init__(self, accounts, topics, villages):
        self.accounts, self.topics, self.villages = accounts, topics, villages
        self.resends: deque = deque()
        self.lock = threading.Lock()
        self.accepted: dict[str, int] = {}  # client_id → report id, from 201 answers
        self.resent = 0
        self.resend_wrong = 0  # a re-send answered other than 200 with the first report
        self.errors = 0
        self.error_samples: list[str] = []
        self.latencies: list[float] = []
        self.timed_created = 0
        self.measure_from = self.stop_at = 0.0

    def body(self, rng: random.Random) -> tuple[str, bytes]:
        key, unit = rng.choice(self.accounts)
        code = rng.choice(self.topics)
        title, content = report_text(rng, code, self.villages)
        data = {
            "topic": code,
            "title": title,
            "content": content,
            "spread": rng.choice(SPREADS),
            "mood": rng.choice(MOODS),
            "source": rng.choice(SOURCES),
            "urgency": 3 if rng.random() < URGENT_SHARE else rng.choice([1, 1, 1, 2]),
            "client_id": str(uuid.uuid4()),
        }
        if rng.random() < EXPLICIT_UNIT_SHARE:
            data["unit"] = unit
        return key, json.dumps(data, ensure_ascii=False).encode()

    def error(self, message: str) -> None:
        with self.lock:
            self.errors += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(message[:300])

    def connection(self, port: int, number: int) -> None:
        rng = random.Random(SEED * 1000 + number)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            try:
                key, body, expected = self.resends.popleft()
            except IndexError:
                key, body = self.body(rng)
                expected = None
            start = time.perf_counter()
            if start >= self.stop_at:
                break
            try:
                conn.request(
                    "POST",
                    URL,
                    body=body,
                    headers={
                        "Authorization": f"Token {key}",
                        "Content-Type": "application/json",
                        "Accept": "application/json",
                    },
                )
                response = conn.getresponse()
                answer = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self.error(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            elapsed = time.perf_counter() - start
            timed = start >= self.measure_from
            status = response.status
            if status not in (200, 201):
                self.error(f"{status} {answer[:200].decode(errors='replace')}")
                continue
            report = json.loads(answer)
            client_id = report["client_id"]
            with self.lock:
                if timed:
                    self.latencies.append(elapsed)
                if expected is not None:
                    self.resent += 1
                    if status != 200 or report["id"] != expected:
                        self.resend_wrong += 1
                    continue
                if status != 201:
                    self.resend_wrong += 1  # a fresh client_id must make a new report
                    continue
                self.accepted[client_id] = report["id"]
                if timed:
                    self.timed_created += 1
            if rng.random() < RESEND_SHARE:
                self.resends.append((key, body, report["id"]))
        conn.close()

    def run(self, port: int) -> float:
        start = time.perf_counter()
        self.measure_from = start + WARMUP
        self.stop_at = self.measure_from + SECONDS
        threads = [
            threading.Thread(target=self.connection, args=(port, n), daemon=True)
            for n in range(CONCURRENCY)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return SECONDS


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)


# The count check and clean-up ----------------------------------------------------------------


def _marks() -> dict[str, int]:
    """The highest id of every table this run writes to, before it starts."""
    from django.db.models import Max
    from django_tasks_db.models import DBTaskResult

    from tuyengiao.audit.models import AuditEntry
    from tuyengiao.concerns.models import ConcernReport
    from tuyengiao.notifications.models import Notification

    marks = {
        "reports": ConcernReport.objects.aggregate(m=Max("id"))["m"] or 0,
        "audit": AuditEntry.objects.aggregate(m=Max("id"))["m"] or 0,
        "notifications": Notification.objects.aggregate(m=Max("id"))["m"] or 0,
    }
    marks["tasks"] = DBTaskResult.objects.aggregate(m=Max("enqueued_at"))["m"]
    return marks


def _count_check(load: Load, marks) -> dict[str, int]:
    from django.db.models import Count

    from tuyengiao.concerns.models import ConcernReport

    rows = ConcernReport.objects.filter(id__gt=marks["reports"])
    per_client = dict(
        rows.values_list("client_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("client_id", "n")
    )
    stored = {str(k): n for k, n in per_client.items()}
    total = sum(stored.values())
    lost = sum(1 for client_id in load.accepted if client_id not in stored)
    matched = len(load.accepted) - lost
    return {
        "rows": total,
        "lost": lost,
        # Rows beyond one per accepted report, and re-sends that did not find the first one.
        "doubled": total - matched + load.resend_wrong,
    }


def _clean(marks) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from tuyengiao.audit.models import AuditEntry
    from tuyengiao.concerns.models import ConcernReport
    from tuyengiao.notifications.models import Notification
    from tuyengiao.notifications.tasks import mail_batch

    with transaction.atomic():
        AuditEntry.objects.filter(
            id__gt=marks["audit"], content_type=ContentType.objects.get_for_model(ConcernReport)
        ).delete()
        Notification.objects.filter(id__gt=marks["notifications"]).delete()
        tasks = DBTaskResult.objects.filter(task_path=mail_batch.module_path)
        if marks["tasks"] is not None:
            tasks = tasks.filter(enqueued_at__gt=marks["tasks"])
        tasks.delete()
        ConcernReport.objects.filter(id__gt=marks["reports"]).delete()


# The case ----------------------------------------------------------------------------------


def run():
    from django.db import connection, connections

    from tuyengiao.concerns.models import Topic
    from tuyengiao.demo.org import VILLAGES

    province, communes = province_communes(PROVINCE)
    accounts = _accounts(province, communes)
    topics = list(Topic.objects.filter(active=True).values_list("code", flat=True))
    marks = _marks()
    conn_max_age = connection.settings_dict["CONN_MAX_AGE"]
    connections.close_all()

    load = Load(accounts, topics, VILLAGES)
    port = _free_port()
    server = _start_server(port)
    try:
        _wait_ready(port, accounts[0][0], server)
        note(
            f"{CONCURRENCY} connections, {WARMUP:g} s warm-up then {SECONDS:g} s, "
            f"{len(accounts)} collaborators over {len(communes)} communes"
        )
        seconds = load.run(port)
    finally:
        _stop_server(server)

    counts = _count_check(load, marks)
    note(
        f"accepted {len(load.accepted)}, re-sent {load.resent}, stored {counts['rows']}, "
        f"errors {load.errors} {load.error_samples}"
    )
    _clean(marks)
    latencies = load.latencies
    return [
        {
            "case": "intake_load",
            "rows": counts["rows"],
            "reports_per_s": round(load.timed_created / seconds, 1),
            "requests_per_s": round(len(latencies) / seconds, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p99_ms": _percentile(latencies, 0.99),
            "max_ms": _percentile(latencies, 1.0),
            "lost": counts["lost"],
            "doubled": counts["doubled"],
            "resent": load.resent,
            "errors": load.errors,
            "concurrency": CONCURRENCY,
            "seconds": SECONDS,
            "warmup_s": WARMUP,
            "workers": WORKERS,
            "threads": THREADS,
            "conn_max_age": conn_max_age,
            "cores": os.cpu_count(),
        }
    ]
