"""Lesson video's memory, measured (issue 25): a recording of about 1 GB sent in pieces to
a real web server, made playable by the worker's code, then played back, whole and with
seeks, through the view that serves it.

Three processes, as in production:

- the web process: gunicorn, one sync worker, this command's settings, on a free port of
  127.0.0.1. Its tasks go to the in-memory transport, which nobody reads, so finishing a
  recording queues the work rather than doing it inside the request (eager tasks would
  transcode in the web process, which no deployment with a worker does);
- the worker: a fresh Python process (this command with `--worker-part`) that runs
  `video.services.video_make_playable`, the body of the Celery task;
- this command: the phone sending the pieces and the browser playing the video back; its
  own memory is not what is measured.

Memory is each process's resident set as Linux counts it: VmRSS and its peak VmHWM from
/proc/<pid>/status, the peak reset between phases by writing 5 to /proc/<pid>/clear_refs,
and ffmpeg's peak from getrusage(RUSAGE_CHILDREN) in the worker. Linux only.

The people (a district, a school, its coach and teacher, their partnership and cycle)
are made through the services, and deleted afterwards with the video and its files; the
video store is a temporary folder, never MEDIA_ROOT's.
"""

import http.client
import json
import logging
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from axes.models import AccessLog
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Max
from django.test import override_settings

from accounts.models import District, Membership, School, User
from accounts.services import accept_invitations_on_welcome, person_invite
from coaching.models import Partnership
from coaching.services import partnership_accept, partnership_invite
from cycles.models import FocusArea
from cycles.services import cycle_start
from outbox.models import OutboxMessage
from video.models import Video
from video.services import video_delete, video_make_playable

from .scale.bench import sign_in
from .scale.cpu import children_of
from .scale.load import HOST, Browser
from .scale.server import Gunicorn

MB = 1024 * 1024
Report = Callable[[str], None]


# -- memory, as Linux counts it ----------------------------------------------------------


@dataclass(frozen=True)
class Memory:
    rss: int  # bytes resident now
    peak: int  # the most resident since the process started or its peak was reset


def memory_of(pid: int | str = "self") -> Memory:
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) * 1024  # kB
    return Memory(rss=found["VmRSS"], peak=found["VmHWM"])


def reset_peak(pid: int | str = "self") -> None:
    """From now on VmHWM is the peak of what comes next (Linux 4.0 and later)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


# -- the recording ------------------------------------------------------------------------


def generate(target: Path, *, size: int, seconds: int) -> None:
    """An H.264/AAC MP4 of `seconds` that weighs about `size` bytes: a 720p test picture
    and a tone, encoded at a constant bit rate that x264 pads with filler where the picture
    needs less. Browsers play it as it is (fast start), and it is quick to make and to
    transcode: the bytes are many, the picture simple."""
    video_bits = int(size * 8 / seconds * 0.99) - 128_000  # the rest: sound and the MP4's boxes
    if video_bits < 500_000:
        raise RuntimeError(f"{size / MB:.0f} MB in {seconds} s is too little: ask for more.")
    rate = str(video_bits)
    argv = [
        settings.FFMPEG_BINARY, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-b:v", rate, "-minrate", rate, "-maxrate", rate, "-bufsize", rate,
        "-x264-params", "nal-hrd=cbr",
        "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", str(target),
    ]  # fmt: skip
    # A list argv, our own ffmpeg and our own temporary path.
    subprocess.run(argv, check=True, stdin=subprocess.DEVNULL)  # noqa: S603 # nosec B603


# -- the people ---------------------------------------------------------------------------


@dataclass
class People:
    district: District
    school: School
    administrator: User
    coach: User
    teacher: User
    partnership: Partnership
    cycle_id: uuid.UUID
    password: str
    session_key: str = ""  # the teacher's, once signed in through the server


@contextmanager
def _mail_dropped_quietly() -> Iterator[None]:
    """The e-mails the services owe these made-up people are deleted before they commit;
    the tasks that then find nothing to send need not say so (as seed_demo does)."""
    loggers = [logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def make_people() -> People:
    """A district with one school, its coach and a teacher in a partnership with an open
    cycle: made as the operator and the pages make them."""
    tag = secrets.token_hex(4)
    password = secrets.token_urlsafe(16)
    with _mail_dropped_quietly(), transaction.atomic():
        owed_before = OutboxMessage.objects.aggregate(last=Max("pk"))["last"] or 0
        # What the operator does in the admin site.
        district = District.objects.create(name=f"Video memory {tag}")
        school = School.objects.create(district=district, name="Measuring School")
        administrator = User.objects.create(
            email=f"admin.{tag}@example.org",
            full_name="Measuring Administrator",
            password=make_password(None),
        )
        Membership.objects.create(
            user=administrator, role=Membership.Role.DISTRICT_ADMIN, district=district
        )
        people = {}
        for role, name in ((Membership.Role.COACH, "coach"), (Membership.Role.TEACHER, "teacher")):
            email = f"{name}.{tag}@example.org"
            person_invite(
                actor=administrator,
                school=school,
                email=email,
                full_name=f"Measuring {name.title()}",
                role=role,
            )
            # As the welcome page does: they choose a password, and so accept.
            user = User.objects.get(email=email)
            user.set_password(password)
            user.save(update_fields=["password"])
            accept_invitations_on_welcome(user)
            people[name] = user
        coach, teacher = people["coach"], people["teacher"]
        partnership = partnership_invite(actor=coach, school=school, teachers=[teacher])
        partnership_accept(actor=teacher, partnership=partnership)
        cycle = cycle_start(
            actor=coach,
            partnership=partnership,
            title="Measuring memory",
            focus_area=FocusArea.objects.filter(district=district).first(),
        )
        OutboxMessage.objects.filter(pk__gt=owed_before).delete()
    return People(district, school, administrator, coach, teacher, partnership, cycle.pk, password)


def forget_people(people: People) -> None:
    """Everything make_people made, the video first (as its teacher deletes it: its files
    go with it), then the teacher's session and sign-in record."""
    with transaction.atomic():
        for video in Video.objects.filter(owner=people.teacher):
            video_delete(actor=people.teacher, video=video)
        Partnership.objects.filter(pk=people.partnership.pk).delete()
        if people.session_key:
            Session.objects.filter(session_key=people.session_key).delete()
        AccessLog.objects.filter(username=people.teacher.email).delete()
        User.objects.filter(
            pk__in=[people.administrator.pk, people.coach.pk, people.teacher.pk]
        ).delete()
        School.objects.filter(district=people.district).delete()
        people.district.delete()


# -- the web process ----------------------------------------------------------------------


class WebServer(Gunicorn):
    """gunicorn with one sync worker: the one web process every request goes to, so its
    memory is the web's memory."""

    def __init__(self, env: dict[str, str], folder: Path, report: Report):
        super().__init__(env=env, log=folder / "gunicorn.log", workers=1, timeout=300)
        self.report = report
        self.worker_pid = 0

    def __enter__(self) -> "WebServer":
        super().__enter__()
        self.report(f"gunicorn, 1 sync worker (pid {self.worker_pid}), http://{HOST}:{self.port}/")
        return self

    def ready(self) -> bool:
        """Up once its one worker is: the process whose memory is measured."""
        assert self.process is not None  # noqa: S101 (started by __enter__)
        workers = children_of(self.process.pid)
        if len(workers) == 1:
            self.worker_pid = workers[0]
        return len(workers) == 1

    def still_the_same_worker(self) -> None:
        """A worker gunicorn replaced (killed for its time, or crashed) has taken its
        memory with it: the figures would be of two processes."""
        if self.process is None or children_of(self.process.pid) != [self.worker_pid]:
            raise RuntimeError(f"gunicorn's worker was replaced:\n{self.log_tail()}")


class Phone(Browser):
    """What static/js/video/recorder.js and a <video> element send: JSON posts with the
    CSRF header, pieces of bytes, and downloads read a block at a time and dropped."""

    def _connection(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=300)
        connection.request(
            method, path, body=body, headers={"Cookie": self.cookie_header, **headers}
        )
        return connection, connection.getresponse()

    def post(self, path: str, body: bytes, content_type: str, **headers: str) -> dict:
        connection, response = self._connection(
            "POST",
            path,
            body,
            {
                "Content-Type": content_type,
                "Accept": "application/json",
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
                **headers,
            },
        )
        try:
            content = response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"POST {path} answered {response.status}: {content[:300]!r}")
        return json.loads(content)

    def download(self, path: str, *, range_header: str = "", at_most: int | None = None) -> int:
        """Bytes read of the answer, 1 MiB at a time and dropped; `at_most` hangs up after
        that many, as a player does when it seeks on."""
        headers = {"Range": range_header} if range_header else {}
        connection, response = self._connection("GET", path, None, headers)
        received = 0
        try:
            if response.status not in (200, 206):
                raise RuntimeError(f"GET {path} ({range_header}) answered {response.status}")
            while at_most is None or received < at_most:
                block = response.read(MB if at_most is None else min(MB, at_most - received))
                if not block:
                    break
                received += len(block)
        finally:
            connection.close()
        return received


# -- the phases ---------------------------------------------------------------------------


@dataclass
class Row:
    phase: str
    process: str
    moved: str
    seconds: float
    baseline: int  # bytes resident before any video work (signed in; Django loaded)
    before: int  # bytes resident as the phase began
    peak: int  # the most resident during the phase
    ffmpeg: int | None = None


def upload(phone: Phone, cycle_id: uuid.UUID, source: Path, title: str) -> tuple[str, int]:
    """Start, every piece of VIDEO_CHUNK_BYTES from the offset the server holds, finish:
    the recorder's conversation. Returns the video's id and the number of pieces."""
    size = source.stat().st_size
    fields = {"client_id": str(uuid.uuid4()), "cycle": str(cycle_id), "title": title}
    answer = phone.post(
        "/videos/uploads/",
        urlencode({**fields, "size": size}).encode(),
        "application/x-www-form-urlencoded",
    )
    offset, pieces = answer["offset"], 0
    with source.open("rb") as recording:
        while offset < size:
            recording.seek(offset)
            piece = recording.read(settings.VIDEO_CHUNK_BYTES)
            offset = phone.post(
                answer["piece_url"],
                piece,
                "application/octet-stream",
                **{"Upload-Offset": str(offset)},
            )["offset"]
            pieces += 1
    finished = phone.post(answer["finish_url"], b"", "application/x-www-form-urlencoded")
    if finished["status"] != Video.Status.PROCESSING:
        raise RuntimeError(f"The finished upload is {finished['status']}, not processing.")
    return answer["id"], pieces


def run_worker_part(video_id: str, env: dict[str, str]) -> dict:
    """The worker's part in a process of its own, as Celery would run it."""
    command = [
        sys.executable, str(settings.BASE_DIR / "manage.py"), "measure_video_memory",
        "--worker-part", video_id,
    ]  # fmt: skip
    done = subprocess.run(  # noqa: S603 # nosec B603 (our interpreter and manage.py)
        command, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"The worker's part failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker_part(video_id: str) -> dict:
    """Run in the worker process: make the video playable, measuring this process and its
    ffmpeg children (getrusage keeps the largest child waited for: none before this)."""
    Video.objects.filter(pk=video_id).exists()  # the database connection, opened before
    before = memory_of()
    reset_peak()
    started = time.perf_counter()
    video_make_playable(uuid.UUID(video_id))
    seconds = time.perf_counter() - started
    peak = memory_of().peak
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # kB on Linux
    return {
        "seconds": seconds,
        "baseline": before.rss,
        "peak": peak,
        "ffmpeg": children,
    }


def serve(
    phone: Phone, server: WebServer, path: str, size: int
) -> tuple[int, int, float, Memory, Memory]:
    """The whole file, then seeks as a player makes them: from 10%, 30%, 50%, 70% and 90%
    onwards, hanging up after 4 MiB; the last 64 KiB (an index at the end); one closed
    range of 8 MiB read to its end. Returns bytes read, requests, seconds, and the web
    process's memory before and after."""
    before = memory_of(server.worker_pid)
    reset_peak(server.worker_pid)
    started = time.perf_counter()
    moved = phone.download(path)
    if moved != size:
        raise RuntimeError(f"{path} sent {moved:,} bytes of {size:,}")
    requests = 1
    for tenth in (1, 3, 5, 7, 9):
        moved += phone.download(path, range_header=f"bytes={size * tenth // 10}-", at_most=4 * MB)
        requests += 1
    moved += phone.download(path, range_header="bytes=-65536")
    middle = size // 2
    moved += phone.download(path, range_header=f"bytes={middle}-{middle + 8 * MB - 1}")
    requests += 2
    seconds = time.perf_counter() - started
    time.sleep(0.5)  # the hung-up answers' last blocks leave the worker
    return moved, requests, seconds, before, memory_of(server.worker_pid)


def table(rows: list[Row]) -> str:
    lines = [
        "| phase | process | bytes moved | wall s | RSS before MB | peak RSS MB "
        "| growth over baseline MB | ffmpeg peak MB |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ffmpeg = "" if r.ffmpeg is None else f"{r.ffmpeg / MB:,.1f}"
        lines.append(
            f"| {r.phase} | {r.process} | {r.moved} | {r.seconds:,.1f} | {r.before / MB:,.1f} "
            f"| {r.peak / MB:,.1f} | {(r.peak - r.baseline) / MB:+,.1f} | {ffmpeg} |"
        )
    return "\n".join(lines)


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB"


@dataclass
class Measured:
    size: int
    generated_in: float
    generation_ffmpeg: int
    rows: list[Row]
    playable: int = 0
    duration: float = 0.0
    talk_segments: int = 0
    web_baseline: int = 0
    worker_baseline: int = 0


WEB = "web (gunicorn worker)"


def measure(*, size_mb: int, seconds: int, keep: bool, report: Report) -> Measured:
    """The whole measurement. Its temporary folder, rows and files are gone at the end
    unless `keep`."""
    folder = Path(tempfile.mkdtemp(prefix="tandem-video-memory-"))
    media_root = folder / "media"
    store = media_root / "video"
    store.mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
        "MEDIA_ROOT": str(media_root),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        # Debug keeps every query of a request in memory: not what runs anywhere.
        "DJANGO_DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "VIDEO_SERVED_BY": "django",
    }
    env.pop("VIDEO_S3_BUCKET", None)
    web_env = {**env, "CELERY_BROKER_URL": "memory://"}  # queued, never run: see above
    people = None
    try:
        source = folder / "recording.mp4"
        report(f"generating {size_mb:,} MB of H.264/AAC MP4 ({seconds} s of 720p) in {folder}")
        started = time.perf_counter()
        generate(source, size=size_mb * MB, seconds=seconds)
        measured = Measured(
            size=source.stat().st_size,
            generated_in=time.perf_counter() - started,
            generation_ffmpeg=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
            rows=[],
        )
        size = measured.size
        report(f"generated {_mb(size)} in {measured.generated_in:.1f} s")
        people = make_people()
        with WebServer(web_env, folder, report) as server:
            _measure_with(server, people, source, store, env, measured, report)
        return measured
    finally:
        if keep:
            report(f"kept: {folder}" + (f", district {people.district.name}" if people else ""))
        else:
            if people is not None:
                with override_video_store(store):
                    forget_people(people)
            shutil.rmtree(folder, ignore_errors=True)


def _measure_with(
    server: WebServer,
    people: People,
    source: Path,
    store: Path,
    env: dict[str, str],
    measured: Measured,
    report: Report,
) -> None:
    rows, size = measured.rows, measured.size
    phone = Phone(server.port)
    phone.cookies = sign_in(server.port, people.teacher, people.password).cookies
    people.session_key = phone.cookies.get(settings.SESSION_COOKIE_NAME, "")
    # The pages a teacher opens first: code loaded, connection open, caches filled.
    for path in ("/videos/", "/videos/new/", "/videos/"):
        if phone.request("GET", path)[0] != 200:
            raise RuntimeError(f"{path} did not answer 200")
    baseline = measured.web_baseline = memory_of(server.worker_pid).rss
    report(f"web process, signed in and pages opened: {_mb(baseline)} resident")

    reset_peak(server.worker_pid)
    started = time.perf_counter()
    video_id, pieces = upload(phone, people.cycle_id, source, "Measuring memory")
    took = time.perf_counter() - started
    after = memory_of(server.worker_pid)
    moved = f"{_mb(size)} in {pieces:,} pieces of {_mb(settings.VIDEO_CHUNK_BYTES)}"
    rows.append(Row("upload", WEB, moved, took, baseline, baseline, after.peak))
    report(f"uploaded in {took:.1f} s; web peak {_mb(after.peak)}")

    report("the worker's part: join, probe, transcode, talk timeline, poster")
    done = run_worker_part(video_id, env)
    video = Video.objects.get(pk=video_id)
    if video.status != Video.Status.READY:
        raise RuntimeError(f"The video was not made playable: {video.failure}")
    measured.playable = (store / video.file).stat().st_size
    measured.duration = video.duration or 0.0
    measured.talk_segments = len(video.talk or [])
    measured.worker_baseline = done["baseline"]
    rows.append(
        Row(
            "make playable",
            "worker (video_make_playable)",
            f"{_mb(size)} joined and read, {_mb(measured.playable)} written",
            done["seconds"],
            done["baseline"],
            done["baseline"],
            done["peak"],
            done["ffmpeg"],
        )
    )
    report(f"made playable in {done['seconds']:.1f} s; worker peak {_mb(done['peak'])}")

    path = f"/videos/{video_id}/lesson.mp4"
    moved_bytes, requests, took, before, after = serve(phone, server, path, measured.playable)
    moved = f"{_mb(moved_bytes)} in {requests} requests (whole file, 7 ranges)"
    rows.append(Row("serve the playable", WEB, moved, took, baseline, before.rss, after.peak))
    # The recording sent is itself a playable MP4 (H.264/AAC, fast start) as large as a
    # whole lesson's: served through the same view as the video's file, for a while.
    name = f"{video_id}/original.mp4"
    os.link(source, store / name)
    Video.objects.filter(pk=video_id).update(file=name)
    try:
        moved_bytes, requests, took, before, after = serve(phone, server, path, size)
    finally:
        Video.objects.filter(pk=video_id).update(file=video.file)
        (store / name).unlink()
    moved = f"{_mb(moved_bytes)} in {requests} requests (whole file, 7 ranges)"
    rows.append(Row(f"serve {_mb(size)}", WEB, moved, took, baseline, before.rss, after.peak))
    report(f"served; web peak {_mb(after.peak)}")
    server.still_the_same_worker()


@contextmanager
def override_video_store(store: Path) -> Iterator[None]:
    """This process's video store is the temporary one too, so that deleting the video
    deletes its files there (video.receivers), never anything under MEDIA_ROOT."""
    video = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(store), "base_url": None},
    }
    with override_settings(STORAGES={**settings.STORAGES, "video": video}):
        yield
