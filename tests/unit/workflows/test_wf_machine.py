"""The lifecycle state machine on plain data: every transition allowed and refused by role, reason and guard."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.runtime.errors import Problem
from workflows.errors import WorkflowConflict, WorkflowInvalid, WorkflowNotAllowed
from workflows.machine import (EVENTS, REOPEN_TARGETS, RULES, EvaluationMachine, GuardInputs, TransitionContext,
                               _Holder, allowed_events, fire, sources_of, transitions_table)
from workflows.models import EvaluationState

ROLES = ("pegawai", "atasan", "atasan2", "hr", "auditor")
STATES = tuple(s.value for s in EvaluationState)
TODAY = dt.date(2027, 1, 20)
# guard inputs under which every guard passes (the keberatan window is still open on its last day)
GREEN = GuardInputs(has_decision=True, umpan_balik="Bagus.", today=TODAY, keberatan_deadline=TODAY)
WINDOW_PASSED = GuardInputs(has_decision=True, umpan_balik="Bagus.", today=TODAY,
                            keberatan_deadline=TODAY - dt.timedelta(days=1))


def ctx(*roles: str, reason: str = "alasan yang cukup", guards: GuardInputs = GREEN, forced: bool = False,
        reopen_to: str | None = None) -> TransitionContext:
    return TransitionContext(relations=frozenset(roles), reason=reason, guards=guards, forced=forced,
                             reopen_to=reopen_to)


CASES = [(event, source, target) for event, source, target in transitions_table()]


def _reopen(event: str, target: str) -> str | None:
    return target if event == "reopen" else None


@pytest.mark.parametrize("event,source,target", CASES, ids=[f"{e}:{s}" for e, s, _ in CASES])
def test_each_allowed_role_moves_the_state_and_every_other_role_is_refused(event, source, target):
    for role in ROLES:
        model = _Holder(source)
        attempt = ctx(role, reopen_to=_reopen(event, target),
                      guards=WINDOW_PASSED if event == "acknowledge" else GREEN)
        if role in RULES[event].who:
            assert fire(model, event, attempt) == (source, target)
            assert model.state == target
        else:
            with pytest.raises(WorkflowNotAllowed) as info:
                fire(model, event, attempt)
            assert model.state == source, "a refused transition leaves the state alone"
            assert "Only" in info.value.message_en and "Hanya" in info.value.message_id


@pytest.mark.parametrize("event", EVENTS)
def test_an_event_from_a_state_it_does_not_leave_is_a_conflict_naming_where_it_is_possible(event):
    rule = RULES[event]
    role = sorted(rule.who)[0]
    for state in STATES:
        if state in sources_of(event):
            continue
        model = _Holder(state)
        with pytest.raises(WorkflowConflict) as info:
            fire(model, event, ctx(role, reopen_to="review"))
        assert model.state == state
        assert info.value.code == "wrong_state"
        assert "only possible from" in info.value.message_en


@pytest.mark.parametrize("event", [e for e, r in RULES.items() if r.reason_required])
def test_events_that_need_a_reason_refuse_a_blank_one(event):
    source = sources_of(event)[0]
    model = _Holder(source)
    with pytest.raises(WorkflowInvalid) as info:
        fire(model, event, ctx(*RULES[event].who, reason="   ", reopen_to="review"))
    assert info.value.code == "reason_required" and model.state == source


def test_reason_required_events_are_the_ones_a_person_must_explain():
    assert {e for e, r in RULES.items() if r.reason_required} == {
        "return_plan", "revise_plan", "file_keberatan", "resolve_keberatan", "close", "reopen"}


def test_plan_guard_lists_every_problem_and_blocks_submit_and_approve():
    problems = (Problem("bobot_sum", "rhk", "jumlah bobot IKI harus 100, sekarang 90", "weights sum to 90"),
                Problem("rhk_utama_required", "rhk", "belum ada RHK utama", "no RHK utama"))
    bad = GuardInputs(plan_problems=problems)
    for event, source in (("submit_plan", "plan_draft"), ("approve_plan", "plan_submitted")):
        model = _Holder(source)
        with pytest.raises(WorkflowInvalid) as info:
            fire(model, event, ctx(*RULES[event].who, guards=bad))
        assert [p.code for p in info.value.problems] == ["bobot_sum", "rhk_utama_required"]
        assert "sekarang 90" in info.value.message_id and model.state == source


def test_realisation_goes_to_review_only_when_every_iki_has_a_realisasi():
    model = _Holder("realization")
    with pytest.raises(WorkflowInvalid) as info:
        fire(model, "submit_realization", ctx("pegawai", guards=GuardInputs(iki_without_realisasi=("Waktu layanan",))))
    assert "Waktu layanan" in info.value.message_id and info.value.problems[0].code == "realisasi_missing"
    assert fire(model, "submit_realization", ctx("pegawai", guards=GuardInputs())) == ("realization", "review")


@pytest.mark.parametrize("guards,code", [
    (GuardInputs(has_decision=False, umpan_balik="ok"), "no_decision"),
    (GuardInputs(has_decision=True, umpan_balik="ok", unrated=("loyal",)), "perilaku_unrated"),
    (GuardInputs(has_decision=True, umpan_balik="  "), "umpan_balik_required"),
])
def test_feedback_needs_ratings_a_decision_and_written_feedback(guards, code):
    model = _Holder("review")
    with pytest.raises(WorkflowInvalid) as info:
        fire(model, "give_feedback", ctx("atasan", guards=guards))
    assert info.value.problems[0].code == code and model.state == "review"


def test_keberatan_can_be_filed_on_the_deadline_day_but_not_the_day_after():
    deadline = dt.date(2027, 1, 14)
    on_time = GuardInputs(today=deadline, keberatan_deadline=deadline)
    late = GuardInputs(today=deadline + dt.timedelta(days=1), keberatan_deadline=deadline)
    assert fire(_Holder("feedback"), "file_keberatan", ctx("pegawai", guards=on_time)) == ("feedback", "keberatan")
    with pytest.raises(WorkflowInvalid) as info:
        fire(_Holder("feedback"), "file_keberatan", ctx("pegawai", guards=late))
    assert "2027-01-14" in info.value.message_en and info.value.problems[0].code == "keberatan_deadline_passed"


def test_only_the_pegawai_accepts_while_the_keberatan_window_is_open():
    deadline = dt.date(2027, 1, 14)
    open_window = GuardInputs(today=deadline, keberatan_deadline=deadline)
    closed_window = GuardInputs(today=deadline + dt.timedelta(days=1), keberatan_deadline=deadline)
    for role in ("atasan", "hr"):
        with pytest.raises(WorkflowInvalid) as info:
            fire(_Holder("feedback"), "acknowledge", ctx(role, guards=open_window))
        assert info.value.problems[0].code == "keberatan_window_open"
        assert fire(_Holder("feedback"), "acknowledge", ctx(role, guards=closed_window))[1] == "follow_up"
    assert fire(_Holder("feedback"), "acknowledge", ctx("pegawai", guards=open_window))[1] == "follow_up"


def test_completion_waits_for_every_follow_up():
    with pytest.raises(WorkflowInvalid) as info:
        fire(_Holder("follow_up"), "complete", ctx("hr", guards=GuardInputs(open_follow_ups=2)))
    assert "2 follow-up" in info.value.message_en
    assert fire(_Holder("follow_up"), "complete", ctx("hr", guards=GuardInputs()))[1] == "closed"


def test_hr_forces_past_roles_and_guards_with_a_reason_but_never_on_their_own_evaluation():
    broken = GuardInputs(plan_problems=(Problem("bobot_sum", "rhk", "x", "x"),))
    assert fire(_Holder("plan_draft"), "submit_plan", ctx("hr", guards=broken, forced=True))[1] == "plan_submitted"
    with pytest.raises(WorkflowInvalid):
        fire(_Holder("plan_draft"), "submit_plan", ctx("hr", reason="", forced=True))
    with pytest.raises(WorkflowNotAllowed):
        fire(_Holder("plan_draft"), "submit_plan", ctx("atasan", forced=True))
    with pytest.raises(WorkflowNotAllowed):
        fire(_Holder("plan_draft"), "submit_plan", ctx("hr", "pegawai", forced=True))


@pytest.mark.parametrize("target", REOPEN_TARGETS)
def test_reopen_goes_where_hr_says(target):
    assert fire(_Holder("closed"), "reopen", ctx("hr", reopen_to=target)) == ("closed", target)


def test_reopen_into_any_other_state_is_refused():
    model = _Holder("closed")
    with pytest.raises(WorkflowInvalid) as info:
        fire(model, "reopen", ctx("hr", reopen_to="feedback"))
    assert "realization, review, follow_up" in info.value.message_en and model.state == "closed"


def test_auditors_read_only_nothing_they_may_trigger():
    assert all(not allowed_events(state, frozenset({"auditor"})) for state in STATES)


def test_hr_may_close_from_every_open_state_and_only_closed_is_terminal_until_reopened():
    assert set(sources_of("close")) == set(STATES) - {"closed"}
    assert allowed_events("closed", frozenset(ROLES)) == ["reopen"]


def test_machine_definition_reaches_every_state_and_stores_plain_strings():
    reached = {"plan_draft"} | {target for _, _, target in transitions_table()}
    assert reached == set(STATES)
    model = _Holder("plan_draft")
    machine = EvaluationMachine(model=model, state_field="state")
    assert list(machine.configuration_values) == ["plan_draft"]
    fire(model, "submit_plan", ctx("pegawai"))
    assert model.state == "plan_submitted" and type(model.state) is str


def test_unknown_event_is_refused():
    with pytest.raises(WorkflowConflict):
        fire(_Holder("plan_draft"), "approve_everything", ctx("hr"))


def _outcome(run, model, event: str, attempt: TransitionContext) -> tuple:
    """What an attempt ends in: the new state, or the refusal's class and code (the state left alone)."""
    try:
        return ("moved",) + run(model, event, attempt)
    except (WorkflowConflict, WorkflowInvalid, WorkflowNotAllowed) as error:
        return (type(error).__name__, error.code)


def _fresh_fire(model, event: str, attempt: TransitionContext) -> tuple:
    """The reference: a machine built for this one attempt, as `fire` did before it kept one per thread."""
    before = model.state
    try:
        EvaluationMachine(model=model, state_field="state").send(event, ctx=attempt)
    except EvaluationMachine.TransitionNotAllowed:
        raise WorkflowConflict("x", "x", code="wrong_state") from None
    return before, model.state


GUARD_CHOICES = (GREEN, WINDOW_PASSED, GuardInputs(), GuardInputs(open_follow_ups=1),
                 GuardInputs(iki_without_realisasi=("IKI",)), GuardInputs(has_decision=True, umpan_balik=" "))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(EVENTS), st.sampled_from(ROLES), st.sampled_from(("", "alasan")),
                          st.sampled_from(GUARD_CHOICES), st.booleans(), st.sampled_from((None,) + REOPEN_TARGETS)),
                min_size=1, max_size=25))
def test_the_machine_kept_for_the_thread_answers_every_attempt_as_a_fresh_one(attempts):
    """Refusals (raised inside the machine's processing loop) must not leave the kept machine stuck or in the
    last evaluation's state: a run of attempts on one row ends exactly where fresh machines take it."""
    kept, fresh = _Holder("plan_draft"), _Holder("plan_draft")
    for event, role, reason, guards, forced, reopen_to in attempts:
        attempt = TransitionContext(relations=frozenset({role}), reason=reason, guards=guards, forced=forced,
                                    reopen_to=reopen_to)
        assert _outcome(fire, kept, event, attempt) == _outcome(_fresh_fire, fresh, event, attempt)
        assert kept.state == fresh.state
        fire(_Holder("follow_up"), "complete", ctx("hr", guards=GuardInputs()))  # another row in between


def test_threads_do_not_share_a_machine():
    """The sync engine drops an event sent while the same machine is busy: each thread must have its own."""
    def walk(results: list) -> None:
        for _ in range(200):
            model = _Holder("plan_draft")
            results.append(fire(model, "submit_plan", ctx("pegawai")) == ("plan_draft", "plan_submitted")
                           and model.state == "plan_submitted")

    results: list[bool] = []
    threads = [threading.Thread(target=walk, args=(results,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 800 and all(results)
