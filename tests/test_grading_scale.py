"""Scaling out: the same grading on a real PostgreSQL gradebook and on a Dask cluster."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from autograder.grading import grade
from autograder.grading.sample import SAMPLE_ROOT, SAMPLE_SLUG, solution, student_edition

pytestmark = pytest.mark.slow
SLUG = SAMPLE_SLUG
FULL = {"ex1_squares_test": (2.0, 2.0), "ex2_standardize_test": (3.0, 3.0)}
ZERO = {"ex1_squares_test": (0.0, 2.0), "ex2_standardize_test": (0.0, 3.0)}


@pytest.fixture(scope="module")
def two_students(tmp_path_factory):
    root = tmp_path_factory.mktemp("subs")
    for student, data in {"alice": solution(SLUG, SAMPLE_ROOT),
                          "bob": student_edition(SLUG, SAMPLE_ROOT)}.items():
        (root / student).mkdir()
        (root / student / f"{SLUG}.ipynb").write_bytes(data)
    return root


def _pg_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent  # /usr/local/bin may link only some tools
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url():
    """A throw-away PostgreSQL server on a loopback port (Debian's binaries)."""
    pytest.importorskip("psycopg2", reason="psycopg2 missing: pip install psycopg2-binary")
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found (Debian: apt-get install -y postgresql)")
    run_as: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server")
        run_as = ["runuser", "-u", "postgres", "--"]
    data = Path(tempfile.mkdtemp(prefix="dlcourse-pg-"))
    if run_as:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()

    def pg(*args, check=True):
        return subprocess.run(run_as + [str(bindir / args[0]), *args[1:]], capture_output=True,
                              text=True, check=check, timeout=120)

    try:
        pg("initdb", "-D", str(data / "db"), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        pg("pg_ctl", "-D", str(data / "db"), "-l", str(data / "server.log"), "-w", "-o",
           f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "start")
        pg("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "gradebook")
    except subprocess.CalledProcessError as e:
        shutil.rmtree(data, ignore_errors=True)
        pytest.skip(f"could not start a PostgreSQL server: {e.stderr or e.stdout}")
    yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/gradebook"
    pg("pg_ctl", "-D", str(data / "db"), "-m", "immediate", "stop", check=False)
    shutil.rmtree(data, ignore_errors=True)


def test_grading_into_postgresql(tmp_path, two_students, postgres_url):
    ws = tmp_path / "ws"
    results = {r.student: r for r in grade(SLUG, two_students, ws, db_url=postgres_url,
                                           workers=2, source_root=SAMPLE_ROOT, progress=False)}
    assert results["alice"].scores == FULL and results["bob"].scores == ZERO
    assert not (ws / "gradebook.db").exists()  # nothing went to SQLite
    from nbgrader.api import Gradebook

    with Gradebook(postgres_url, "dlcourse") as gb:
        assert gb.find_submission(SLUG, "alice").score == 5.0
        assert len(gb.assignment_submissions(SLUG)) == 2
    # a second grader (other workspace, same database) sees the work as done
    again = grade(SLUG, two_students, tmp_path / "ws2", db_url=postgres_url,
                  source_root=SAMPLE_ROOT, progress=False)
    assert [r.reused for r in again] == [False, False]  # feedback files live per workspace
    from autograder.grading.merge import CentralGradebook

    with CentralGradebook(postgres_url) as central:
        assert central.check_consistent(SLUG) == []
        assert len(central.gb.assignment_submissions(SLUG)) == 2


def test_grading_on_a_dask_cluster(tmp_path, two_students):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(processes=True, n_workers=1, threads_per_worker=2,
                                  dashboard_address=None) as cluster:
        results = grade(SLUG, two_students, tmp_path / "ws", workers=2,
                        scheduler=cluster.scheduler_address, source_root=SAMPLE_ROOT,
                        progress=False)
        with distributed.Client(cluster.scheduler_address) as client:
            prefixes = client.run_on_scheduler(
                lambda dask_scheduler: {k: v.states.get("memory", 0) + v.states.get(
                    "released", 0) + v.states.get("forgotten", 0)
                                        for k, v in dask_scheduler.task_prefixes.items()})
    by = {r.student: r for r in results}
    assert by["alice"].scores == FULL and by["bob"].scores == ZERO
    assert "grade_submission" in prefixes  # the work really went through the scheduler
    assert (tmp_path / "ws" / "grades.csv").read_text().count("\n") == 3
