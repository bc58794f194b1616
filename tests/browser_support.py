"""Machinery for the browser test (tests/test_browser.py).

* :class:`JupyterServer` starts JupyterLab with ``tools/lab.py``'s ``command()`` on a
  free loopback port and stops it again, checking that no process it started is left
  and that its port is closed.
* :func:`launch_browser` starts Debian's chromium through Playwright (its own browser
  download does not work offline) with a fresh profile.
* :class:`Notebook` does what a student does in JupyterLab — menus, keyboard,
  toolbar buttons — and waits on concrete page states (kernel status, prompts,
  dialogs), never on fixed sleeps.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}

# JupyterLab user settings for the test: every cell stays in the page (no windowing, so
# cell i of the file is cell i of the DOM) and no "get Jupyter news?" toast covers it.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) == 0


# ---------------------------------------------------------------- processes
def _alive(pid: int) -> bool:
    """True if ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (kernels run in their own sessions, so a
    process-group kill alone would miss them)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return {p for p in found if _alive(p)}


def server_env(extra: dict[str, str], settings_dir: Path) -> dict[str, str]:
    """The environment of a test server: the course modes (kernels inherit them),
    private JupyterLab settings/workspaces, and matplotlib left to ipykernel's inline
    backend (the test session's MPLBACKEND=Agg would hide every plot)."""
    settings_dir.mkdir(parents=True, exist_ok=True)
    for rel, values in LAB_SETTINGS.items():
        path = settings_dir / "settings" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.update({"JUPYTERLAB_SETTINGS_DIR": str(settings_dir / "settings"),
                "JUPYTERLAB_WORKSPACES_DIR": str(settings_dir / "workspaces"),
                "JUPYTER_RUNTIME_DIR": str(settings_dir / "runtime"),
                "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


@dataclass
class JupyterServer:
    """JupyterLab serving ``root_dir`` (``make lab``'s command with another root).

    ``cwd`` is where nbgrader looks for ``nbgrader_config.py`` (Validate button,
    formgrader). The log goes to ``log_path``; :meth:`stop` checks that nothing is left.
    """

    root_dir: Path
    cwd: Path
    log_path: Path
    env: dict[str, str]
    startup_timeout: float = 180.0
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    proc: subprocess.Popen | None = None
    startup_seconds: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        sys.path.insert(0, str(ROOT / "tools"))
        try:
            import lab
        finally:
            sys.path.remove(str(ROOT / "tools"))
        cmd = lab.command(self.port, self.token, browser=False)
        course_root = f"--ServerApp.root_dir={ROOT / 'course'}"
        if course_root not in cmd:
            raise RuntimeError(f"tools/lab.py command() no longer passes {course_root}; "
                               f"update JupyterServer.command() to its new form: {cmd}")
        return [f"--ServerApp.root_dir={self.root_dir}" if a == course_root else a for a in cmd]

    def start(self) -> JupyterServer:
        self.port = self.port or free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        start = time.monotonic()
        self.proc = subprocess.Popen(self.command(), cwd=self.cwd, env=self.env, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = start + self.startup_timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self.proc.returncode} before "
                                   f"answering; its log:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}",
                                            timeout=10) as r:
                    if r.status == 200:
                        break
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"jupyter lab did not answer on port {self.port} within "
                                   f"{self.startup_timeout:.0f} s; its log:\n{self.log_tail()}")
            time.sleep(0.5)
        self.startup_seconds = time.monotonic() - start
        return self

    def stop(self) -> list[str]:
        """Stop the server and everything it started; return what had to be killed hard.

        Raises AssertionError if a process survives or the port still listens.
        """
        if self.proc is None:
            return []
        forced: list[str] = []
        tracked = descendants(self.proc.pid) | {self.proc.pid}
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the server shuts its kernels down
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            forced.append(f"server pid {self.proc.pid} ignored SIGTERM for 30 s")
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        deadline = time.monotonic() + 15
        while any(_alive(p) for p in tracked) and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in sorted(p for p in tracked if _alive(p)):
            forced.append(f"pid {pid} survived the server: {_cmdline(pid)}")
            try:
                os.kill(pid, signal.SIGKILL)  # a process this server started, by its id
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in tracked) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [f"{p}: {_cmdline(p)}" for p in tracked if _alive(p)]
        self.proc = None
        assert not left, f"processes left after stopping jupyter lab: {left}"
        assert not port_listening(self.port), f"port {self.port} still listens after the stop"
        return forced

    def log_tail(self, chars: int = 6000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def __enter__(self) -> JupyterServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:200]
    except OSError:
        return "?"


# ---------------------------------------------------------------- browser
def launch_browser(playwright, executable: Path, profile_dir: Path):
    """A headless chromium context with a fresh profile (``--user-data-dir``)."""
    profile_dir.mkdir(parents=True, exist_ok=True)
    return playwright.chromium.launch_persistent_context(
        str(profile_dir), executable_path=str(executable), headless=True, args=LAUNCH_ARGS,
        viewport=VIEWPORT, ignore_https_errors=False)


# ---------------------------------------------------------------- JupyterLab notebook page
CELLS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell"
# Idle: the kernel is connected and idle, and no cell is queued or running ("[*]").
IDLE_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return false;
  const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const busy = Array.from(panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
      .some(p => p.textContent.includes('*'));
  const status = document.querySelector('.jp-StatusBar-Widget');
  return !!ind && ind.dataset.status === 'idle' && !busy && !!status &&
         /\\| Idle/.test(document.querySelector('#jp-main-statusbar').innerText);
}"""
PROMPTS_JS = """(cells) => Array.from(document.querySelectorAll(cells)).map(c =>
  c.classList.contains('jp-CodeCell') ? c.querySelector('.jp-InputPrompt').textContent.trim()
                                      : null)"""
ANY_RUN_JS = """(cells) => Array.from(document.querySelectorAll(cells))
  .some(c => /\\[\\d+\\]/.test((c.querySelector('.jp-InputPrompt') || {}).textContent))"""
STARTED_JS = """([cells, i]) => !document.querySelectorAll(cells)[i]
  .querySelector('.jp-InputPrompt').textContent.includes('[ ]')"""
RERUN_JS = """([cells, i, old]) => {
  const p = document.querySelectorAll(cells)[i].querySelector('.jp-InputPrompt').textContent.trim();
  return /\\[\\d+\\]/.test(p) && p !== old;
}"""
# nbgrader's Validate dialog: <p>The following cell failed:</p>, then the source and
# the error, each in a <pre>.
VALIDATION_JS = """() => {
  const body = document.querySelector('.jp-Dialog #validation-message');
  if (!body) return null;
  const out = {cls: body.className, failed: [], text: body.innerText};
  const kids = Array.from(body.children);
  kids.forEach((kid, i) => {
    if (/The following cell failed/.test(kid.innerText) && i + 1 < kids.length) {
      out.failed.push({source: kids[i + 1].innerText,
                       error: i + 2 < kids.length ? kids[i + 2].innerText : ''});
    }
  });
  return out;
}"""


@dataclass
class Validation:
    title: str
    body_class: str
    text: str
    failed: list[dict] = field(default_factory=list)


class Notebook:
    """A notebook open in JupyterLab, driven like a student would."""

    def __init__(self, page, server: JupyterServer, path: str, timeout_s: float = 300):
        self.page, self.server, self.path = page, server, path
        self.timeout_ms = timeout_s * 1000

    def open(self) -> Notebook:
        self.page.goto(f"{self.server.url}/lab/tree/{self.path}?token={self.server.token}")
        self.page.wait_for_selector(CELLS, timeout=self.timeout_ms)
        self.wait_idle()
        return self

    def wait_idle(self) -> None:
        self.page.wait_for_function(IDLE_JS, timeout=self.timeout_ms, polling=250)

    def cell(self, i: int):
        return self.page.locator(CELLS).nth(i)

    def prompts(self) -> list[str | None]:
        return self.page.evaluate(PROMPTS_JS, CELLS)

    def menu(self, menu: str, command: str) -> None:
        """Click a main-menu entry, e.g. ("Run", "runmenu:run-all")."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
        self.page.locator(f".lm-Menu-item[data-command='{command}']").click()

    def run_everything(self) -> int:
        """Run all cells, continuing after each error as a student would: an error stops
        "Run All" (the queue is aborted), so select the first cell that did not run and
        use "Run Selected Cell and All Below" until every code cell has run.
        Returns the number of rounds."""
        self.menu("Run", "runmenu:run-all")
        rounds = 1
        n_code = sum(p is not None for p in self.prompts())
        for _ in range(n_code + 1):
            self.page.wait_for_function(ANY_RUN_JS, arg=CELLS, timeout=self.timeout_ms)
            self.wait_idle()
            todo = [i for i, p in enumerate(self.prompts()) if p == "[ ]:"]
            if not todo:
                return rounds
            self.cell(todo[0]).locator(".jp-InputPrompt").click()
            self.menu("Run", "notebook:run-all-below")
            rounds += 1
            self.page.wait_for_function(STARTED_JS, arg=[CELLS, todo[0]],
                                        timeout=self.timeout_ms)
        raise AssertionError(f"cells still not run after {rounds} rounds: {self.prompts()}")

    def save(self) -> None:
        """Ctrl+S (in command mode), then wait until the tab shows no unsaved changes."""
        self.page.keyboard.press("Escape")
        self.page.keyboard.press("Control+s")
        self.page.wait_for_function(
            "() => { const t = document.querySelector('.lm-TabBar-tab.jp-mod-current');"
            " return !!t && !t.classList.contains('jp-mod-dirty'); }", timeout=self.timeout_ms)

    def type_into(self, i: int, text: str) -> str:
        """Replace cell ``i``'s source by typing ``text``; return what the editor holds."""
        editor = self.cell(i).locator(".cm-content")
        editor.scroll_into_view_if_needed()
        editor.click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)
        return editor.inner_text()

    def run_cells(self, first: int, last: int) -> None:
        """With cell ``first`` selected, press Shift+Enter once per cell up to ``last``.

        Each code cell's run is awaited (a new execution number) before the next key
        press, so an error cannot abort the cells after it."""
        before = self.prompts()
        for i in range(first, last + 1):
            self.page.keyboard.press("Shift+Enter")
            if before[i] is None:  # a markdown cell just renders
                continue
            self.page.wait_for_function(RERUN_JS, arg=[CELLS, i, before[i]],
                                        timeout=self.timeout_ms)
        self.wait_idle()

    def output_text(self, i: int) -> str:
        return self.cell(i).locator(".jp-OutputArea").inner_text()

    def has_error_output(self, i: int) -> bool:
        return self.cell(i).locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() > 0

    def validate(self) -> Validation:
        """Press nbgrader's Validate button and read the dialog it opens."""
        self.page.keyboard.press("Escape")
        self.page.locator(".validate-button").click()
        header = self.page.locator(".jp-Dialog .jp-Dialog-header")
        header.wait_for(timeout=self.timeout_ms)
        title = header.inner_text().strip()
        data = self.page.evaluate(VALIDATION_JS)
        if data is None:
            body = self.page.locator(".jp-Dialog .jp-Dialog-body").inner_text()
            return Validation(title=title, body_class="", text=body)
        return Validation(title=title, body_class=data["cls"], text=data["text"],
                          failed=data["failed"])

    def close_dialog(self) -> None:
        self.page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
        self.page.locator(".jp-Dialog").wait_for(state="detached", timeout=self.timeout_ms)
