"""The lifecycle state machine (python-statemachine), separate from the Evaluation row it moves.

The machine knows the states, the transitions, who may trigger each one and the guards. It runs on plain data
(`TransitionContext`: the actor's relations, the reason, the guard inputs the service gathered), so it is unit
tested without a database. `workflows.transitions` binds it to an Evaluation row, writes the history and audit.
"""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Callable

from statemachine import State, StateMachine

from engine.runtime.errors import Problem
from workflows.errors import WorkflowConflict, WorkflowNotAllowed, invalid, problem
from workflows.models import EvaluationState as S
from workflows.permissions import RELATION_LABELS, Relation

R = Relation

STATE_LABELS: dict[str, tuple[str, str]] = {
    S.plan_draft: ("rencana SKP (draf)", "SKP plan (draft)"),
    S.plan_submitted: ("rencana SKP diajukan", "SKP plan submitted"),
    S.plan_approved: ("rencana SKP disetujui", "SKP plan approved"),
    S.realization: ("pelaksanaan (realisasi)", "realisation"),
    S.review: ("penilaian", "review"),
    S.feedback: ("umpan balik", "feedback"),
    S.keberatan: ("keberatan", "objection"),
    S.follow_up: ("tindak lanjut", "follow-up"),
    S.closed: ("selesai", "closed"),
}
REOPEN_TARGETS: tuple[str, ...] = (S.realization, S.review, S.follow_up)


@dataclass(frozen=True)
class GuardInputs:
    """What the guards look at, gathered from the database by the service (only what the event needs)."""

    plan_problems: tuple[Problem, ...] = ()
    iki_without_realisasi: tuple[str, ...] = ()
    has_decision: bool = False
    unrated: tuple[str, ...] = ()
    umpan_balik: str = ""
    today: dt.date | None = None
    keberatan_deadline: dt.date | None = None
    open_follow_ups: int = 0


@dataclass(frozen=True)
class TransitionContext:
    """One attempt: the actor's relations to the evaluation, the reason given, HR forcing, guard inputs."""

    relations: frozenset[str]
    reason: str = ""
    forced: bool = False
    guards: GuardInputs = field(default_factory=GuardInputs)
    reopen_to: str | None = None


Guard = Callable[[TransitionContext], list[Problem]]


def _plan_guard(ctx: TransitionContext) -> list[Problem]:
    return list(ctx.guards.plan_problems)


def _realisasi_guard(ctx: TransitionContext) -> list[Problem]:
    return [problem("realisasi_missing", f"iki[{name}]", f"IKI '{name}' belum memiliki realisasi; isi realisasinya",
                    f"IKI '{name}' has no realisasi yet; record it") for name in ctx.guards.iki_without_realisasi]


def _feedback_guard(ctx: TransitionContext) -> list[Problem]:
    g, out = ctx.guards, []
    if g.unrated:
        out.append(problem("perilaku_unrated", "perilaku", f"nilai perilaku belum dinilai: {', '.join(g.unrated)}",
                           f"behaviour values not rated yet: {', '.join(g.unrated)}"))
    if not g.has_decision:
        out.append(problem("no_decision", "decision", "evaluasi belum diputuskan; jalankan keputusan dahulu",
                           "the evaluation has not been decided; decide it first"))
    if not g.umpan_balik.strip():
        out.append(problem("umpan_balik_required", "umpan_balik", "umpan balik atasan wajib diisi",
                           "the atasan's feedback (umpan balik) is required"))
    return out


def _deadline_text(ctx: TransitionContext) -> str:
    return ctx.guards.keberatan_deadline.isoformat() if ctx.guards.keberatan_deadline else "?"


def _acknowledge_guard(ctx: TransitionContext) -> list[Problem]:
    g = ctx.guards
    if R.pegawai in ctx.relations or g.keberatan_deadline is None or g.today is None or g.today > g.keberatan_deadline:
        return []
    return [problem("keberatan_window_open", "keberatan_deadline",
                    f"pegawai masih dapat mengajukan keberatan sampai {_deadline_text(ctx)}; hanya pegawai yang "
                    "dapat menerima hasil sebelum batas itu",
                    f"the pegawai may still object until {_deadline_text(ctx)}; only the pegawai may accept the "
                    "result before then")]


def _keberatan_guard(ctx: TransitionContext) -> list[Problem]:
    g = ctx.guards
    if g.keberatan_deadline is not None and g.today is not None and g.today > g.keberatan_deadline:
        return [problem("keberatan_deadline_passed", "keberatan_deadline",
                        f"batas pengajuan keberatan sudah lewat ({_deadline_text(ctx)}); keberatan hanya dapat "
                        "diajukan sampai tanggal itu",
                        f"the deadline to object has passed ({_deadline_text(ctx)}); an objection can only be "
                        "filed until that date")]
    return []


def _complete_guard(ctx: TransitionContext) -> list[Problem]:
    n = ctx.guards.open_follow_ups
    if n:
        return [problem("follow_ups_open", "follow_ups", f"{n} tindak lanjut belum selesai; selesaikan atau "
                        "batalkan dahulu (atau kepegawaian menutup dengan alasan)",
                        f"{n} follow-up(s) still open; resolve or cancel them first (or HR closes with a reason)")]
    return []


@dataclass(frozen=True)
class EventRule:
    """Who may trigger an event, whether a reason is required, its guard and its label."""

    who: frozenset[str]
    label_id: str
    label_en: str
    reason_required: bool = False
    guard: Guard | None = None


RULES: dict[str, EventRule] = {
    "submit_plan": EventRule(frozenset({R.pegawai}), "mengajukan rencana SKP", "submit the SKP plan",
                             guard=_plan_guard),
    "approve_plan": EventRule(frozenset({R.atasan}), "menyetujui rencana SKP", "approve the SKP plan",
                              guard=_plan_guard),
    "return_plan": EventRule(frozenset({R.atasan}), "mengembalikan rencana SKP", "return the SKP plan",
                             reason_required=True),
    "revise_plan": EventRule(frozenset({R.atasan}), "membuka perubahan SKP", "reopen the plan for a change",
                             reason_required=True),
    "start_realization": EventRule(frozenset({R.pegawai, R.atasan}), "memulai pelaksanaan", "start realisation"),
    "submit_realization": EventRule(frozenset({R.pegawai, R.atasan}), "mengajukan realisasi untuk dinilai",
                                    "submit the realisation for review", guard=_realisasi_guard),
    "give_feedback": EventRule(frozenset({R.atasan}), "memberi umpan balik", "give feedback", guard=_feedback_guard),
    "acknowledge": EventRule(frozenset({R.pegawai, R.atasan, R.hr}), "menerima hasil evaluasi",
                             "accept the evaluation result", guard=_acknowledge_guard),
    "file_keberatan": EventRule(frozenset({R.pegawai}), "mengajukan keberatan", "file an objection",
                                reason_required=True, guard=_keberatan_guard),
    "resolve_keberatan": EventRule(frozenset({R.atasan2}), "memutus keberatan", "resolve the objection",
                                   reason_required=True),
    "complete": EventRule(frozenset({R.pegawai, R.atasan, R.atasan2, R.hr}), "menyelesaikan evaluasi",
                          "complete the evaluation",
                          guard=_complete_guard),
    "close": EventRule(frozenset({R.hr}), "menutup evaluasi lebih awal", "close the evaluation early",
                       reason_required=True),
    "reopen": EventRule(frozenset({R.hr}), "membuka kembali evaluasi", "reopen the evaluation",
                        reason_required=True),
}


def _who(rule: EventRule) -> tuple[str, str]:
    names = sorted(rule.who)
    return (" atau ".join(RELATION_LABELS[r][0] for r in names), " or ".join(RELATION_LABELS[r][1] for r in names))


class EvaluationMachine(StateMachine):
    """The evaluation lifecycle; bind it to a row with `EvaluationMachine(model=row, state_field="state")`."""

    plan_draft = State("rencana SKP (draf)", initial=True, value=S.plan_draft.value)
    plan_submitted = State("rencana SKP diajukan", value=S.plan_submitted.value)
    plan_approved = State("rencana SKP disetujui", value=S.plan_approved.value)
    realization = State("pelaksanaan", value=S.realization.value)
    review = State("penilaian", value=S.review.value)
    feedback = State("umpan balik", value=S.feedback.value)
    keberatan = State("keberatan", value=S.keberatan.value)
    follow_up = State("tindak lanjut", value=S.follow_up.value)
    closed = State("selesai", value=S.closed.value)

    submit_plan = plan_draft.to(plan_submitted, validators="check")
    approve_plan = plan_submitted.to(plan_approved, validators="check")
    return_plan = plan_submitted.to(plan_draft, validators="check")
    revise_plan = plan_approved.to(plan_draft, validators="check") | realization.to(plan_draft, validators="check")
    start_realization = plan_approved.to(realization, validators="check")
    submit_realization = realization.to(review, validators="check")
    give_feedback = review.to(feedback, validators="check")
    acknowledge = feedback.to(follow_up, validators="check")
    file_keberatan = feedback.to(keberatan, validators="check")
    resolve_keberatan = keberatan.to(follow_up, validators="check")
    complete = follow_up.to(closed, validators="check")
    close = (plan_draft.to(closed, validators="check") | plan_submitted.to(closed, validators="check")
             | plan_approved.to(closed, validators="check") | realization.to(closed, validators="check")
             | review.to(closed, validators="check") | feedback.to(closed, validators="check")
             | keberatan.to(closed, validators="check") | follow_up.to(closed, validators="check"))
    reopen = (closed.to(realization, cond="reopens_to_realization", validators="check")
              | closed.to(review, cond="reopens_to_review", validators="check")
              | closed.to(follow_up, cond="reopens_to_follow_up", validators="check"))

    def check(self, event, ctx: TransitionContext) -> None:
        """Refuse the transition unless the actor may trigger it, a required reason is given and guards pass."""
        name = getattr(event, "id", str(event))
        rule = RULES[name]
        if ctx.forced:
            if R.hr not in ctx.relations or R.pegawai in ctx.relations:
                raise WorkflowNotAllowed(
                    "Hanya kepegawaian daerah ini yang dapat memaksa transisi, dan tidak pada evaluasinya sendiri.",
                    "Only HR of this daerah may force a transition, and not on their own evaluation.",
                    code="forbidden")
            if not ctx.reason.strip():
                raise invalid([problem("reason_required", "reason", "transisi paksa wajib disertai alasan",
                                       "a forced transition needs a reason")],
                              "Alasan wajib diisi", "A reason is required", code="reason_required")
            return
        if not (ctx.relations & rule.who):
            who_id, who_en = _who(rule)
            raise WorkflowNotAllowed(f"Hanya {who_id} yang dapat {rule.label_id}.",
                                     f"Only {who_en} may {rule.label_en}.", code="forbidden")
        if rule.reason_required and not ctx.reason.strip():
            raise invalid([problem("reason_required", "reason", f"alasan wajib diisi untuk {rule.label_id}",
                                   f"a reason is required to {rule.label_en}")],
                          "Alasan wajib diisi", "A reason is required", code="reason_required")
        if name == "reopen" and ctx.reopen_to not in REOPEN_TARGETS:
            raise invalid([problem("reopen_target", "to", f"status tujuan harus salah satu dari "
                                   f"{', '.join(REOPEN_TARGETS)}, bukan {ctx.reopen_to!r}",
                                   f"the target state must be one of {', '.join(REOPEN_TARGETS)}, "
                                   f"not {ctx.reopen_to!r}")], "Status tujuan tidak valid", "Invalid target state")
        problems = rule.guard(ctx) if rule.guard else []
        if problems:
            raise invalid(problems, f"Tidak dapat {rule.label_id}", f"Cannot {rule.label_en}", code=problems[0].code)

    def reopens_to_realization(self, ctx: TransitionContext) -> bool:
        """Reopen into realisation."""
        return ctx.reopen_to == S.realization

    def reopens_to_review(self, ctx: TransitionContext) -> bool:
        """Reopen into review."""
        return ctx.reopen_to == S.review

    def reopens_to_follow_up(self, ctx: TransitionContext) -> bool:
        """Reopen into follow-up."""
        return ctx.reopen_to == S.follow_up


EVENTS: tuple[str, ...] = tuple(RULES)


def sources_of(event: str) -> list[str]:
    """The states an event may be triggered from."""
    return [s.value for s in EvaluationMachine.states for t in s.transitions if t.event == event]


def transitions_table() -> list[tuple[str, str, str]]:
    """Every (event, from, to) of the machine, in declaration order (for docs and tests)."""
    return [(t.event, s.value, t.target.value) for s in EvaluationMachine.states for t in s.transitions]


class _Holder:
    """A stand-in model for the machine when a row is not at hand."""

    def __init__(self, state: str):
        self.state = state


_THREAD = threading.local()


def _machine() -> tuple[EvaluationMachine, _Holder]:
    """This thread's machine, bound to a holder: built once, since building one registers every callback again
    (about 1 ms, a tenth of a transition's cost). The holder takes the row's state before each event."""
    pair = getattr(_THREAD, "machine", None)
    if pair is None:
        holder = _Holder(S.plan_draft.value)
        pair = _THREAD.machine = (EvaluationMachine(model=holder, state_field="state"), holder)
    return pair


def fire(model, event: str, ctx: TransitionContext) -> tuple[str, str]:
    """Run `event` on a model holding `state`; return (from, to) or raise a WorkflowError naming the problem
    (the model's state is then left alone)."""
    if event not in RULES:
        raise WorkflowConflict(f"Transisi tidak dikenal: {event}.", f"Unknown transition: {event}.",
                               code="unknown_transition")
    before = str(model.state)
    machine, holder = _machine()
    holder.state = before
    try:
        machine.send(event, ctx=ctx)
    except EvaluationMachine.TransitionNotAllowed:
        rule = RULES[event]
        allowed = sources_of(event)
        where_id = ", ".join(STATE_LABELS[s][0] for s in allowed)
        where_en = ", ".join(STATE_LABELS[s][1] for s in allowed)
        raise WorkflowConflict(
            f"Tidak dapat {rule.label_id}: evaluasi berstatus '{STATE_LABELS[before][0]}'; hanya dapat dari: "
            f"{where_id}.",
            f"Cannot {rule.label_en}: the evaluation is in '{STATE_LABELS[before][1]}'; only possible from: "
            f"{where_en}.", code="wrong_state") from None
    model.state = holder.state
    return before, str(model.state)


def allowed_events(state: str, relations: frozenset[str]) -> list[str]:
    """Events whose source is `state` and whose roles include one of `relations` (guards not checked)."""
    return [e for e in EVENTS if state in sources_of(e) and RULES[e].who & relations]
