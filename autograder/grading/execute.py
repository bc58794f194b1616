"""Execute step: nbgrader's ``Execute`` preprocessor, run in a sandboxed kernel.

:class:`SandboxedExecute` replaces ``nbgrader.preprocessors.Execute`` in nbgrader's
``Autograde.autograde_preprocessors``. It keeps nbgrader's behaviour (errors are
recorded, the notebook keeps going) and adds what a batch of untrusted submissions
needs:

- the kernel starts through :class:`autograder.grading.isolate.Sandbox` (resource
  limits, ``bwrap``, ZeroMQ over Unix sockets);
- a per-cell time limit (the kernel is interrupted) and a whole-notebook deadline
  (remaining cells are marked "not run");
- when the kernel dies (``os._exit``, a segfault, the memory limit) or ignores an
  interrupt, a fresh kernel replays the earlier cells and grading continues;
- output is capped while it arrives, so a print loop cannot exhaust our memory;
- before every test cell the guard (:mod:`autograder.grading.guard`) resets hooks,
  and the test cell ends with a one-off token print: a test passes only if the
  kernel reports success, no error was shown *and* the token came back.

Per-cell findings go to ``cell.metadata["dlcourse_grader"]`` (``passed`` for test
cells, ``problem`` for anything unusual); :mod:`autograder.grading.score` reads them.
"""
from __future__ import annotations

import secrets
import time
from queue import Empty

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Any, Dict, Instance, Integer, List, Unicode

from autograder.grading import guard
from autograder.grading.isolate import Sandbox, kernel_argv

META = "dlcourse_grader"
TIMEOUT_ENAME = "CellTimeoutError"
MAX_RESTARTS = 3


class SandboxedKernelManager(AsyncKernelManager):
    """Starts ``ipykernel`` through the sandbox command; interrupts by message."""

    sandbox = Instance(Sandbox, allow_none=False)

    def format_kernel_cmd(self, extra_arguments=None):
        return self.sandbox.wrap(kernel_argv(self.connection_file) + list(extra_arguments or []))

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None:
            # a signal to the process group would also hit bwrap; the kernel
            # interrupts itself when asked over the control channel
            spec.interrupt_mode = "message"
        return spec


def is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _note(cell, **items) -> None:
    meta = cell.metadata.setdefault(META, {})
    if "problem" in items and meta.get("problem"):
        items["problem"] = meta["problem"] + "; " + items["problem"]
    meta.update(items)


def _reset_list(reply: dict) -> list[str]:
    """The guard's list of what it reset, from the reply's user_expressions."""
    import ast

    data = (reply.get("user_expressions") or {}).get("reset", {})
    text = (data.get("data") or {}).get("text/plain", "[]") if data.get("status") == "ok" else "[]"
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}"])


class SandboxedExecute(Execute):
    """nbgrader's Execute with a sandboxed kernel, deadlines, recovery and a guard."""

    box = Unicode(help="folder the kernel sees and runs in").tag(config=True)
    sandbox_mode = Unicode("auto").tag(config=True)
    notebook_timeout = Integer(600, help="seconds for the whole notebook").tag(config=True)
    memory_mb = Integer(4096).tag(config=True)
    output_chars = Integer(2_000_000, help="output kept per cell while executing").tag(config=True)
    trusted_roots = List(Unicode()).tag(config=True)
    extra_env = Dict().tag(config=True)
    sandbox_obj = Any(None)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)

    # ----------------------------------------------------------- kernel lifetime
    def _make_sandbox(self) -> Sandbox:
        from autograder.grading.isolate import Limits

        sb = Sandbox(self.box, mode=self.sandbox_mode,
                     limits=Limits(cell_timeout=self.timeout or 0,
                                   notebook_timeout=self.notebook_timeout,
                                   memory_mb=self.memory_mb),
                     extra_env=dict(self.extra_env))
        sb.prepare()
        return sb

    def create_kernel_manager(self):
        if self.sandbox_obj is None:
            self.sandbox_obj = self._make_sandbox()
        sb = self.sandbox_obj
        self.km = SandboxedKernelManager(
            kernel_name="python3", sandbox=sb, transport="ipc",
            ip=str(sb.runtime / "k"), connection_file=str(sb.runtime / "kernel.json"),
            config=self.config)
        return self.km

    def _start_kernel(self) -> None:
        self.km = self.create_kernel_manager()
        log = open(self.sandbox_obj.runtime / "kernel.log", "ab")  # noqa: SIM115 (kept by Popen)
        try:
            self.start_new_kernel(cwd=str(self.sandbox_obj.box), env=self.sandbox_obj.env(),
                                  stdout=log, stderr=log)
        finally:
            log.close()  # the kernel process holds its own copy of the descriptor
        self.start_new_kernel_client()
        reply = self._silent("pass", timeout=60, guard_code=False)
        if reply is None:
            raise RuntimeError("the sandboxed kernel started but does not answer")
        self._silent(guard.kernel_code("snapshot", self.trusted_roots), timeout=30,
                     guard_code=False)

    def _stop_kernel(self) -> None:
        if self.km is not None:
            try:
                self._cleanup_kernel()
            except Exception as e:  # already dead: nothing to stop
                self.log.debug("kernel cleanup: %s", e)
        self.km = None
        self.kc = None

    async def _async_silent(self, code: str, timeout: float,
                            expressions: dict | None = None) -> dict | None:
        """Run ``code`` without storing history; return the reply content or None."""
        msg_id = self.kc.execute(code, silent=False, store_history=False,
                                 allow_stdin=False, stop_on_error=False,
                                 user_expressions=expressions or {})
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                msg = await self.kc.shell_channel.get_msg(timeout=min(left, 1.0))
            except (TimeoutError, Empty):
                if not await self.kc.is_alive():
                    raise DeadKernelError("Kernel died") from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]

    _silent_async = run_sync(_async_silent)

    def _silent(self, code: str, timeout: float, guard_code: bool = True,
                expressions: dict | None = None) -> dict | None:
        return self._silent_async(code, timeout, expressions)

    # ------------------------------------------------------------ the main loop
    def preprocess(self, nb, resources=None, km=None):
        from nbclient import NotebookClient

        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        self.sandbox_obj = None
        self.cell_timeout = self.timeout or 0
        self.deadline = time.monotonic() + self.notebook_timeout
        self.crashed: set[int] = set()
        self.restarts = 0
        self._marker = None
        self._reported: set[str] = set()
        try:
            self._start_kernel()
            info = self.wait_for_reply(self.kc.kernel_info())
            if info:
                nb.metadata["language_info"] = info["content"].get("language_info", {})
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                if not cell.source.strip():
                    continue
                if self._remaining() <= 0:
                    self._not_run(cell, f"not run: the whole notebook exceeded its "
                                        f"{self.notebook_timeout} s time limit")
                    continue
                if self.km is None:
                    self._not_run(cell, "not run: the kernel died too often "
                                        f"({MAX_RESTARTS} restarts)")
                    continue
                self._run_cell(index, cell)
        finally:
            self._stop_kernel()
        return nb, self.resources

    def _remaining(self) -> float:
        return self.deadline - time.monotonic()

    def _not_run(self, cell, reason: str) -> None:
        cell.outputs = [_error_output("NotRun", reason)]
        _note(cell, problem=reason)
        if is_test_cell(cell):
            _note(cell, passed=False)

    def _run_cell(self, index: int, cell) -> None:
        test = is_test_cell(cell)
        integrity = None
        if test:
            integrity = self._run_guard(index)
            if self.km is None:
                self._not_run(cell, "not run: the kernel died before this test")
                return
        limit = max(1, int(min(self.cell_timeout or self._remaining(), self._remaining())))
        self.timeout = limit
        source = cell.source
        self._marker = f"dlcourse-grader-done-{secrets.token_hex(16)}" if test else None
        self._marker_seen = False
        self._cell_chars = 0
        self._capped = False
        self._last_reply = None
        if test:
            cell.source = source + f"\nprint({self._marker!r})\n"
        try:
            self.execute_cell(cell, index, store_history=True)
        except DeadKernelError:
            cell.source = source
            self._kernel_died(index, cell)
            if test:
                _note(cell, passed=False)
            return
        except CellTimeoutError:  # interrupt_on_timeout=False configured by someone
            cell.source = source
            self._timed_out(index, cell, limit)
        finally:
            cell.source = source
        timed_out = any(o.get("output_type") == "error" and o.get("ename") == TIMEOUT_ENAME
                        for o in cell.outputs)
        if timed_out:
            self._timed_out(index, cell, limit)
        if self._capped:
            _note(cell, problem=f"output was cut at {self.output_chars} characters")
        if test:
            self._verdict(cell, integrity)

    def _run_guard(self, index: int) -> str | None:
        code = guard.kernel_code("before_test", self.trusted_roots)
        try:
            reply = self._silent(code, timeout=30, expressions={"reset": guard.RESULT_NAME})
        except DeadKernelError:
            self._restart(index, "the kernel died while the grader prepared a test")
            return "the kernel died while the grader prepared this test"
        if reply is None:
            self._restart(index, "the kernel did not answer before a test")
            return "the kernel did not answer before this test"
        if reply.get("status") != "ok":
            return f"{reply.get('ename', 'Error')}: {reply.get('evalue', '')}"
        reset = _reset_list(reply)
        if reset:
            why = (f"the notebook changed {', '.join(reset[:4])}"
                   f"{' ...' if len(reset) > 4 else ''} (undone before the test)")
            if why not in self._reported:
                self._reported.add(why)
                _note(self.nb.cells[index], problem=why)
        return None

    def _verdict(self, cell, integrity: str | None) -> None:
        reply = (self._last_reply or {}).get("content", {})
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        passed = (not errors and reply.get("status") == "ok" and self._marker_seen
                  and integrity is None)
        _note(cell, passed=passed)
        if integrity:
            cell.outputs.append(_error_output("GraderIntegrityError", integrity))
            _note(cell, problem=f"grading integrity: {integrity}")
        elif not errors and not passed:
            why = ("the test cell did not run to its end, but no error was shown "
                   "(student code hid or swallowed it)")
            cell.outputs.append(_error_output("GraderIntegrityError", why))
            _note(cell, problem=why)

    def on_cell_executed(self, **kwargs):
        self._last_reply = kwargs.get("execute_reply")
        return super().on_cell_executed(**kwargs)

    # --------------------------------------------------------------- recovery
    def _timed_out(self, index: int, cell, limit: int) -> None:
        why = (f"ran past the {limit} s time limit (infinite loop or too slow)"
               if self._remaining() > 0 else
               f"stopped: the notebook reached its {self.notebook_timeout} s time limit")
        _note(cell, problem=why)
        if not any(o.get("ename") == TIMEOUT_ENAME for o in cell.outputs
                   if o.get("output_type") == "error"):
            cell.outputs.append(_error_output(TIMEOUT_ENAME, why))
        self.crashed.add(index)
        # the interrupt may have been ignored: make sure the kernel answers again
        try:
            alive = self._silent("pass", timeout=10) is not None
        except DeadKernelError:
            alive = False
        if not alive:
            self._restart(index, "the kernel did not recover from an interrupt")

    def _kernel_log_hint(self) -> str:
        """A telling line from the dead kernel's own output, if any."""
        try:
            tail = (self.sandbox_obj.runtime / "kernel.log").read_bytes()[-4000:].decode(
                "utf-8", "replace")
        except OSError:
            return ""
        for line in reversed(tail.splitlines()):
            if any(k in line for k in ("Fatal Python error", "Segmentation fault",
                                       "MemoryError", "Killed", "Aborted", "bad_alloc")):
                return f" [{line.strip()[:160]}]"
        return ""

    def _kernel_died(self, index: int, cell) -> None:
        why = ("the kernel died while running this cell (os._exit, a crash, or the "
               f"{self.memory_mb} MB memory limit){self._kernel_log_hint()}")
        cell.outputs.append(_error_output("DeadKernelError", why))
        _note(cell, problem=why)
        self.crashed.add(index)
        self._restart(index, why)

    def _restart(self, index: int, why: str) -> None:
        """Fresh kernel, replay earlier cells (without their outputs), continue."""
        self._stop_kernel()
        self.restarts += 1
        if self.restarts > MAX_RESTARTS or self._remaining() <= 0:
            self.log.warning("not restarting the kernel again (%s)", why)
            return
        self.log.warning("restarting the kernel after cell %d: %s", index, why)
        try:
            self._start_kernel()
        except Exception as e:  # a kernel that cannot start again ends the notebook
            self.log.error("could not restart the kernel: %s", e)
            self._stop_kernel()
            return
        for j, earlier in enumerate(self.nb.cells[:index]):
            if earlier.cell_type != "code" or not earlier.source.strip() or j in self.crashed:
                continue
            limit = max(1, min(self.cell_timeout or self._remaining(), self._remaining()))
            try:
                reply = self._silent(earlier.source, timeout=limit)
            except DeadKernelError:
                self.crashed.add(j)
                return self._restart(index, f"cell {j} killed the kernel again on replay")
            if reply is None:
                self.crashed.add(j)
                return self._restart(index, f"cell {j} hung on replay")

    # ------------------------------------------------------------ output cap
    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        if (msg.get("msg_type") == "stream" and self._marker
                and self._marker in content.get("text", "")):
            self._marker_seen = True
            content["text"] = content["text"].replace(self._marker + "\n", "").replace(
                self._marker, "")
            if not content["text"]:
                return None
        size = len(content.get("text", "")) + sum(
            len(v) if isinstance(v, str) else len(str(v))
            for v in (content.get("data") or {}).values())
        self._cell_chars = getattr(self, "_cell_chars", 0) + size
        if self._cell_chars > self.output_chars:
            if not getattr(self, "_capped", False):
                self._capped = True
                outs.append(NotebookNode(
                    output_type="stream", name="stdout",
                    text=f"\n[the grader cut this cell's output at {self.output_chars} "
                         f"characters]\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)
