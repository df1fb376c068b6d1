"""The one process-wide durable_rules host: the ONLY module that imports durable (see DURABLE.md).

Defences, each with a regression test in tests/unit/runtime/test_runtime_host_defences.py:
- a Host subclass whose ``_run()`` is a no-op: no dispatcher/timer threads that steal actions or segfault;
- one process-wide RLock around every engine call, register and unregister included;
- rulesets registered lazily under versioned names and unregistered through the private directory/list plus
  ``durable_rules_engine.delete_ruleset`` (there is no public unregister, and names cannot be re-registered);
  at most ``max_loaded`` stay loaded: the least recently used go first, so the rulesets of retired or replaced
  versions leave every worker process without any message between them (a replay registers them again); the
  process that retires a version unregisters its rulesets at once (rules.decisions.unload_version);
- definitions deep-copied and ``run`` replaced by plain one-argument callables before registering
  (``Ruleset()`` deletes ``run`` from the dict it is given);
- facts (``assert_facts``), never events (an event fires only one rule); a fresh sid per evaluation and
  ``delete_state`` in ``finally``, only once an action ran (the catch-all rule guarantees one);
- firings de-duplicated by (rule, subject) inside the action (``$or``/``any`` fire once per matching branch);
- errors inside actions recorded and raised, and ``state['exception']`` checked (durable swallows them);
- durable C errors (e.g. 303, too many alpha nodes) rebuild the ruleset and raise RuleEvaluationError.
"""
from __future__ import annotations

import copy
import itertools
import threading
from collections import OrderedDict

import durable.engine as dengine
import durable_rules_engine

from .compiler import DONE_KEY, MARKER, SUBJECT, CompiledStage
from .errors import RuleEvaluationError

DURABLE_VERSION = "2.0.28"
#: rulesets kept loaded per process (a daerah's versions in force need 5-8; each costs durable memory)
MAX_LOADED = 256


class _SyncHost(dengine.Host):
    """durable Host without the background dispatcher (actions run synchronously in assert_fact)."""

    def _run(self):  # noqa: D401 - durable hook
        """No timer threads."""


class _Run:
    """Collector of one evaluation (one sid)."""

    __slots__ = ("hits", "seen", "errors", "ran")

    def __init__(self):
        self.hits: list[tuple[str, str]] = []
        self.seen: set[tuple[str, str]] = set()
        self.errors: list[str] = []
        self.ran = False


class RuleHost:
    """Registers compiled stages and runs subjects through them, one fresh sid per call."""

    def __init__(self, max_loaded: int = MAX_LOADED) -> None:
        self._host = _SyncHost()
        self._lock = threading.RLock()
        self._max_loaded = max_loaded
        self._stages: OrderedDict[str, CompiledStage] = OrderedDict()   # least recently used first
        self._runs: dict[str, _Run] = {}
        self._sids = itertools.count(1)

    # -- registration -------------------------------------------------------------------------------------
    def _action(self, key: str):
        def action(c):
            # c.s._d / c._m are durable's plain dicts: reading them directly skips a Content wrapper per access
            run = self._runs.get(c.s._d["sid"])
            if run is None:
                return
            try:
                self._record(run, key, c._m["m"])
            except Exception as exc:  # recorded and raised by run(); durable would swallow it
                run.errors.append(f"{key}: {type(exc).__name__}: {exc}")
        return action

    def _record(self, run: _Run, key: str, fact: dict) -> None:
        run.ran = True
        if key == DONE_KEY:
            return
        hit = (key, fact[SUBJECT])
        if hit not in run.seen:
            run.seen.add(hit)
            run.hits.append(hit)

    def _register(self, stage: CompiledStage) -> None:
        definition = copy.deepcopy(stage.definition)
        for key, rule in definition.items():
            rule["run"] = self._action(key)
        self._host.register_rulesets({stage.ruleset: definition})
        self._stages[stage.ruleset] = stage

    def ensure(self, stage: CompiledStage) -> None:
        """Register a compiled stage once (idempotent, under the lock); unload the least recently used beyond
        ``max_loaded``."""
        with self._lock:
            if stage.ruleset in self._stages:
                self._stages.move_to_end(stage.ruleset)
                return
            self._register(stage)
            while len(self._stages) > self._max_loaded:
                self.unregister(next(iter(self._stages)))

    def unregister(self, name: str) -> bool:
        """Drop a ruleset (retired version); True if it was loaded."""
        with self._lock:
            self._stages.pop(name, None)
            ruleset = self._host._ruleset_directory.pop(name, None)
            if ruleset is None:
                return False
            self._host._ruleset_list.remove(ruleset)
            durable_rules_engine.delete_ruleset(ruleset._handle)
            return True

    def retire_except(self, keep: set[str]) -> list[str]:
        """Unregister every loaded ruleset whose name is not in `keep`; return the dropped names."""
        with self._lock:
            dropped = [n for n in list(self._stages) if n not in keep]
            for name in dropped:
                self.unregister(name)
            return dropped

    def loaded(self) -> list[str]:
        """Names of the registered rulesets."""
        with self._lock:
            return sorted(self._stages)

    def _rebuild(self, stage: CompiledStage) -> None:
        self.unregister(stage.ruleset)
        self._register(stage)

    # -- evaluation -----------------------------------------------------------------------------------------
    def run(self, stage: CompiledStage, messages: list[dict]) -> list[tuple[str, str]]:
        """Assert the subject facts (flat durable field -> value, with SUBJECT set) and return the (rule, subject) hits."""
        if not messages:
            return []
        with self._lock:
            self.ensure(stage)
            sid = f"e{next(self._sids)}"
            batch = [dict(msg, sid=sid, **{MARKER: 1}) for msg in messages]
            run = self._runs[sid] = _Run()
            state = None
            try:
                try:
                    state = self._host.assert_facts(stage.ruleset, batch)
                except (dengine.MessageNotHandledException, dengine.MessageObservedException) as exc:
                    raise RuleEvaluationError("durable_rules tidak menangani fakta evaluasi",
                                              f"durable_rules did not handle the facts: {exc.message}",
                                              code="not_handled") from None
                except durable_rules_engine.error as exc:
                    # a half-built sid must not be deleted: drop the whole ruleset and build it again
                    run.ran = False
                    self._rebuild(stage)
                    raise RuleEvaluationError("durable_rules gagal; ruleset dibangun ulang",
                                              f"durable_rules failed ({exc}); the ruleset was rebuilt",
                                              code="durable_error") from None
            finally:
                self._runs.pop(sid, None)
                if run.ran:
                    self._host.delete_state(stage.ruleset, sid)
            if state and state.get("exception"):
                run.errors.append(str(state["exception"]))
            if run.errors:
                raise RuleEvaluationError("Aksi aturan gagal", "A rule action failed: " + "; ".join(run.errors),
                                          code="action_error")
            if not run.ran:
                raise RuleEvaluationError("Tidak ada aksi yang berjalan", "No action ran (catch-all missing)",
                                          code="not_handled")
            return run.hits


_HOST: RuleHost | None = None
_HOST_LOCK = threading.Lock()


def get_host() -> RuleHost:
    """The process-wide rule host (created on first use)."""
    global _HOST
    with _HOST_LOCK:
        if _HOST is None:
            _HOST = RuleHost()
        return _HOST
