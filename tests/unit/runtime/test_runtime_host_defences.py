"""Each defence of the rule host, shown twice: the raw durable_rules trap (in a subprocess where it could crash or
hang), then the same case handled by our host. If a defence is removed, the second half fails."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from engine.runtime import RuleEvaluationError, compile_document, evaluate, resolve
from engine.runtime.host import RuleHost
from runtime_support import make_facts, perilaku, resolved, iki_for

NASIONAL = resolved("nasional")
RAW_PRELUDE = """
import durable.engine as de, durable_rules_engine as dre
class H(de.Host):
    def _run(self): pass
log = []
def act(name):
    def a(c):
        log.append(name)
    return a
"""


def raw(code: str, timeout: float = 20) -> str:
    """Run raw durable code in a fresh interpreter; return its stdout (raises TimeoutExpired on a hang)."""
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", RAW_PRELUDE + textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=timeout)
    return done.stdout.strip() + ("" if done.returncode == 0 else f" rc={done.returncode}")


def ours(code: str, timeout: float = 60) -> str:
    """Run code against our engine in a fresh interpreter (for a case that hangs when a defence is missing: the
    test then fails on the timeout instead of hanging the run); return its stdout."""
    root = Path(__file__).resolve().parents[3]
    prelude = f"import sys; sys.path[:0] = [{str(root)!r}, {str(Path(__file__).parent)!r}]\n"
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", prelude + textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=timeout, cwd=root)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def _doc(*rules, stage="triggers"):
    return resolve({"pack": "uji", "version": "1", "stages": {stage: {"rules": list(rules)}}}, None)


def _over_nasional(*rules):
    override = {"pack": "uji", "version": "1", "extends": "nasional", "stages": {"triggers": {"rules": list(rules)}}}
    return resolve(resolved("nasional"), override)


def _fired(decision):
    return [t["rule"] for t in decision.trace]


def test_stock_host_starts_timer_threads_ours_does_not():
    out = raw("""
        import threading
        before = threading.active_count()
        de.Host()
        print(threading.active_count() - before)
    """)
    assert int(out) >= 1  # the stock dispatcher/timer threads
    before = {t.ident for t in threading.enumerate()}
    host = RuleHost()
    host.ensure(compile_document(NASIONAL).stages["predikat"])
    assert {t.ident for t in threading.enumerate()} == before


def test_ne_never_matches_raw_our_not_equal_does():
    out = raw("""
        h = H()
        try:
            h.register_rulesets({"t": {"r1": {"all": [{"m": {"$ne": {"x": 1}}}], "run": act("ne")},
                                       "r2": {"all": [{"m": {"$ex": {"x": 1}}}], "run": act("ex")}}})
        except dre.error as e:
            print("rejected", e)
        else:
            h.assert_fact("t", {"sid": "1", "x": 2}); print(log)
    """)
    # DURABLE.md saw `$ne` register and never match; this build rejects it (error 202): either way it is no "!="
    assert out == "['ex']" or out.startswith("rejected")
    doc = _over_nasional({"id": "bukan_baik", "when": {"fact": "predikat", "op": "!=", "value": "baik"},
                          "actions": [{"code": "pelatihan"}]})
    assert "bukan_baik" in _fired(evaluate(make_facts(iki=iki_for(50)), doc))
    assert "bukan_baik" not in _fired(evaluate(make_facts(iki=iki_for(100)), doc))


def test_or_fires_twice_raw_dedupe_by_rule():
    out = raw("""
        h = H(); h.register_rulesets({"t": {"r": {"all": [{"m": {"$or": [{"$gt": {"x": 1}}, {"$gt": {"x": 2}}]}}],
                                                  "run": act("r")}}})
        h.assert_fact("t", {"sid": "1", "x": 5}); print(log)
    """)
    assert out == "['r', 'r']"
    doc = _doc({"id": "dua_cabang", "when": {"any": [{"fact": "disiplin.menit_terlambat", "op": ">", "value": 1},
                                                     {"fact": "disiplin.menit_terlambat", "op": ">", "value": 2}]},
                "actions": [{"code": "teguran_lisan"}]})
    decision = evaluate(make_facts(disiplin={"hari_tidak_masuk": 0, "menit_terlambat": 5}), doc)
    assert _fired(decision) == ["dua_cabang"] and len(decision.actions) == 1


def test_events_fire_one_rule_facts_fire_all():
    out = raw("""
        h = H(); h.register_rulesets({"t": {"a": {"all": [{"m": {"x": 1}}], "run": act("a")},
                                           "b": {"all": [{"m": {"x": 1}}], "run": act("b")}}})
        h.post("t", {"sid": "1", "x": 1}); print(log)
    """)
    assert out == "['a']"
    facts = make_facts(iki=iki_for(120), perilaku=perilaku(di_atas=5))
    assert _fired(evaluate(facts, NASIONAL))[-2:] == ["t_penghargaan", "t_talent_pool"]


def test_unmatched_fact_raises_raw_catch_all_handles_it():
    out = raw("""
        h = H(); h.register_rulesets({"t": {"a": {"all": [{"m": {"x": 1}}], "run": act("a")}}})
        try:
            h.assert_fact("t", {"sid": "1", "x": 2})
        except de.MessageNotHandledException:
            print("not handled")
    """)
    assert out == "not handled"
    host = RuleHost()
    stage = compile_document(NASIONAL).stages["triggers"]
    assert host.run(stage, [{"__k": "_", "predikat": "baik"}]) == []
    # the sid was cleaned (an action ran, so delete_state was safe)
    assert host.loaded() == [stage.ruleset]
    with pytest.raises(Exception, match="309"):
        host._host.get_state(stage.ruleset, "e1")


def test_nex_only_rule_hangs_raw_marker_prevents_it():
    with pytest.raises(subprocess.TimeoutExpired):
        raw("""
            h = H(); h.register_rulesets({"t": {"a": {"all": [{"m": {"$nex": {"y": 1}}}], "run": act("a")}}})
            h.assert_fact("t", {"sid": "1", "x": 2})
        """, timeout=3)
    # the same kind of rule (a negated is_set compiles to $nex) through our host, where the marker makes it finish
    out = ours("""
        from engine.runtime import evaluate, resolve
        from runtime_support import make_facts
        doc = resolve({"pack": "uji", "version": "1", "stages": {"triggers": {"rules": [
            {"id": "tanpa_ikm", "when": {"not": {"fact": "kepuasan_masyarakat", "op": "is_set"}},
             "actions": [{"code": "pelatihan"}]}]}}}, None)
        facts = make_facts()
        del facts["kepuasan_masyarakat"]
        print([t["rule"] for t in evaluate(facts, doc).trace], [t["rule"] for t in evaluate(make_facts(), doc).trace])
    """)
    assert out == "['tanpa_ikm'] []"


def test_missing_field_makes_negated_comparison_true_like_python():
    out = raw("""
        h = H(); h.register_rulesets({"t": {"a": {"all": [{"m": {"$lte": {"k": 80}}}], "run": act("a")},
                                           "z": {"all": [{"m": {"$ex": {"x": 1}}}], "run": act("z")}}})
        h.assert_fact("t", {"sid": "1", "x": 1}); print(log)
    """)
    assert out == "['z']"  # durable: a missing field fails every test
    doc = _doc({"id": "bukan_tinggi", "when": {"not": {"fact": "kepuasan_masyarakat", "op": ">", "value": 80}},
                "actions": [{"code": "pelatihan"}]})
    facts = make_facts()
    del facts["kepuasan_masyarakat"]
    assert _fired(evaluate(facts, doc)) == ["bukan_tinggi"]
    assert _fired(evaluate(make_facts(kepuasan_masyarakat=90), doc)) == []


def test_string_number_comparison_raw_typed_inputs_ours():
    out = raw("""
        h = H(); h.register_rulesets({"t": {"a": {"all": [{"m": {"$gt": {"v": 80}}}], "run": act("a")},
                                           "z": {"all": [{"m": {"$ex": {"v": 1}}}], "run": act("z")}}})
        h.assert_fact("t", {"sid": "1", "v": "9"}); print(log)
    """)
    assert out == "['a', 'z']"  # "9" > 80 is true in durable
    from engine.runtime import ValidationFailed
    with pytest.raises(ValidationFailed):
        evaluate(make_facts(kepuasan_masyarakat="9"), NASIONAL)


def test_exponent_numbers_rejected_raw_rounded_by_us():
    out = raw("""
        h = H(); h.register_rulesets({"t": {"z": {"all": [{"m": {"$ex": {"v": 1}}}], "run": act("z")}}})
        try:
            h.assert_fact("t", {"sid": "1", "v": 1e-05})
        except dre.error as e:
            print("error", e)
    """)
    assert "204" in out
    iki = [{"id": "a", "aspek": "kuantitas", "arah": "naik", "target": 3, "realisasi": 0.00001, "bobot": 100}]
    assert evaluate(make_facts(iki=iki), NASIONAL).outputs["rating_iki"] == {"a": "di_bawah"}


def test_a_huge_number_crashes_raw_and_a_derived_capaian_that_large_is_refused_by_us():
    out = raw("""
        h = H(); h.register_rulesets({"t": {"a": {"all": [{"m": {"$gte": {"c": 110}}}], "run": act("a")}}})
        h.assert_facts("t", [{"sid": "1", "c": 1e16}]); print(log)
    """)
    assert "rc=-11" in out, out  # a segfault: the whole worker process dies
    from engine.runtime import ValidationFailed, validate_facts
    # every input is below the input limit (1e15); capaian = realisasi / target x 100 = 1e16 is not
    iki = [{"id": "a", "aspek": "kuantitas", "arah": "naik", "target": 1, "realisasi": 1e14, "bobot": 100}]
    problems = validate_facts(make_facts(iki=iki))
    assert [(p.path, p.code) for p in problems] == [("iki[0].realisasi", "range")]
    assert "harus < 1e15" in problems[0].message_id and "must be < 1e15" in problems[0].message_en
    with pytest.raises(ValidationFailed):
        evaluate(make_facts(iki=iki), NASIONAL)
    iki[0]["realisasi"] = 9.9e12  # capaian 9.9e14: below the limit, durable decides
    assert evaluate(make_facts(iki=iki), NASIONAL).outputs["rating_iki"] == {"a": "di_atas"}
    iki[0].update(arah="turun", realisasi=1e14)  # a turun capaian is at most 200 (floored at 0 here)
    assert evaluate(make_facts(iki=iki), NASIONAL).outputs["rating_iki"] == {"a": "di_bawah"}


def test_action_errors_are_swallowed_raw_raised_by_us(monkeypatch):
    out = raw("""
        def boom(c):
            raise ValueError("boom")
        h = H(); h.register_rulesets({"t": {"a": {"all": [{"m": {"x": 1}}], "run": boom}}})
        state = h.assert_fact("t", {"sid": "1", "x": 1}); print("exception" in state)
    """)
    assert out == "True"  # assert_fact returned normally
    host = RuleHost()

    def boom(self, run, key, c):
        raise ValueError("boom")
    monkeypatch.setattr(RuleHost, "_record", boom)
    with pytest.raises(RuleEvaluationError) as info:
        evaluate(make_facts(), NASIONAL, host=host)
    assert info.value.code == "action_error" and "boom" in info.value.message_en
    monkeypatch.undo()
    assert evaluate(make_facts(), NASIONAL, host=host).outputs["predikat"] == "baik"


def test_reregister_raises_raw_run_is_deleted_raw_ours_idempotent():
    out = raw("""
        d = {"t": {"a": {"all": [{"m": {"x": 1}}], "run": act("a")}}}
        h = H(); h.register_rulesets(d); print("run" in d["t"]["a"])
        try:
            h.register_rulesets({"t": {"a": {"all": [{"m": {"x": 1}}], "run": act("a")}}})
        except Exception as e:
            print(e)
    """)
    assert out == "False\nRuleset with name t already registered"
    host = RuleHost()
    stage = compile_document(NASIONAL).stages["predikat"]
    host.ensure(stage)
    host.ensure(stage)
    assert all("run" in r for r in stage.definition.values())
    assert host.loaded() == [stage.ruleset]
    for _ in range(50):  # churn: unregister and register the same name again
        assert host.unregister(stage.ruleset)
        host.ensure(stage)
    assert host.run(stage, [{"__k": "_", "rating_hasil_kerja": "sesuai", "rating_perilaku": "sesuai"}]) == \
        [("r003", "_")]
    assert host.retire_except(set()) == [stage.ruleset] and host.loaded() == []


def test_live_sid_limit_raw_fresh_sid_and_delete_state_ours():
    out = raw("""
        h = H(); h.register_rulesets({"t": {"a": {"all": [{"m": {"$ex": {"x": 1}}}], "run": act("a")}}})
        try:
            for i in range(1100):
                h.assert_fact("t", {"sid": str(i), "x": 1})
        except MemoryError:
            print("MemoryError at", i)
    """)
    assert out == "MemoryError at 1024"
    host = RuleHost()
    doc = compile_document(NASIONAL)
    for i in range(1100):
        decision = evaluate(make_facts(disiplin={"hari_tidak_masuk": i % 30, "menit_terlambat": 0}), doc, host=host)
    assert decision.outputs["predikat"] == "baik"


def test_error_303_rebuilds_the_ruleset_and_raises():
    rules = [{"id": f"r{i}", "when": {"fact": "disiplin.hari_tidak_masuk", "op": ">=", "value": i},
              "actions": [{"code": "teguran_lisan"}]} for i in range(100)]
    doc = _doc(*rules)
    host = RuleHost()
    with pytest.raises(RuleEvaluationError) as info:
        evaluate(make_facts(disiplin={"hari_tidak_masuk": 99, "menit_terlambat": 0}), doc, host=host)
    assert info.value.code == "durable_error" and "303" in info.value.message_en
    decision = evaluate(make_facts(disiplin={"hari_tidak_masuk": 2, "menit_terlambat": 0}), doc, host=host)
    assert _fired(decision) == ["r0", "r1", "r2"]


def test_threads_and_ruleset_churn_under_the_lock():
    """Four threads decide while a fifth unregisters and registers every ruleset they use. Threads switch every
    microsecond here, so without the host's lock a decision meets a ruleset mid-churn on nearly every run (durable
    raises 'already registered' or 'could not assert state', or answers differently); with it, none does."""
    host = RuleHost()
    docs = [resolved("nasional"), resolved("palu")]
    expected = {i: evaluate(make_facts(iki=iki_for(40 + i * 5)), docs[i % 2], host=host).canonical()
                for i in range(20)}
    stages = [s for doc in docs for s in compile_document(doc).stages.values()]
    errors: list[str] = []

    def work():
        try:
            for i in range(20):
                got = evaluate(make_facts(iki=iki_for(40 + i * 5)), docs[i % 2], host=host).canonical()
                if got != expected[i]:
                    errors.append(f"mismatch {i}")
        except Exception as exc:  # noqa: BLE001 - any failure of a decision is what this test looks for
            errors.append(f"decide: {exc!r}")

    def churn():
        try:
            for _ in range(30):
                for stage in stages:
                    host.unregister(stage.ruleset)
                    host.ensure(stage)
        except Exception as exc:  # noqa: BLE001
            errors.append(f"churn: {exc!r}")

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work) for _ in range(4)] + [threading.Thread(target=churn)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []


def test_batch_with_an_unmatched_fact_raw_catch_all_per_fact_ours():
    out = raw("""
        h = H(); h.register_rulesets({"t": {"a": {"all": [{"m": {"x": 1}}], "run": act("a")}}})
        try:
            h.assert_facts("t", [{"sid": "1", "x": 1, "k": 1}, {"sid": "1", "x": 2, "k": 2}])
        except de.MessageNotHandledException:
            print("not handled", log)
    """)
    assert out == "not handled []"  # one unmatched fact refuses the whole batch, no action runs
    doc = _doc({"id": "tinggi", "when": {"fact": "iki.capaian", "op": ">=", "value": 110},
                "set": {"rating_iki": "di_atas"}}, stage="iki_rating")
    iki = [{"id": "a", "aspek": "kuantitas", "arah": "naik", "target": 10, "realisasi": 12, "bobot": 50},
           {"id": "b", "aspek": "kuantitas", "arah": "naik", "target": 10, "realisasi": 5, "bobot": 50}]
    assert evaluate(make_facts(iki=iki), doc).outputs["rating_iki"] == {"a": "di_atas", "b": None}


def test_least_recently_used_rulesets_leave_the_host_beyond_its_limit():
    """A long-lived worker sees versions come and go: at most max_loaded rulesets stay in durable, and a version
    evicted earlier (a replay of a retired one) is registered again and decides the same."""
    host = RuleHost(max_loaded=4)
    docs = [resolved("nasional"), resolved("palu"), resolved("bantul")]
    facts = make_facts(iki=iki_for(95))
    first = [evaluate(facts, doc, host=host).canonical() for doc in docs]
    for _ in range(3):
        assert [evaluate(facts, doc, host=host).canonical() for doc in docs] == first
        assert len(host.loaded()) <= 4 and len(host._host._ruleset_directory) <= 4
    assert len({s.ruleset for doc in docs for s in compile_document(doc).stages.values()}) > 4
