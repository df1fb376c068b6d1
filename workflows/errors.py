"""The workflow errors: one base, `WorkflowError`, with a subclass per HTTP meaning the web layer maps once."""
from __future__ import annotations

from engine.runtime.errors import Conflict, EngineError, NotAllowed, NotFound, Problem, ValidationFailed


class WorkflowError(EngineError):
    """Base of every error raised by `workflows`."""


class WorkflowNotAllowed(WorkflowError, NotAllowed):
    """The acting user may not do this to this evaluation (403)."""


class WorkflowNotFound(WorkflowError, NotFound):
    """No such record in the user's reach (404: the same answer for another daerah's records)."""


class WorkflowInvalid(WorkflowError, ValidationFailed):
    """A guard refused: `problems` names each problem and what would be right (422)."""


class WorkflowConflict(WorkflowError, Conflict):
    """The evaluation's state forbids the action, or someone changed it meanwhile (409)."""


def problem(code: str, path: str, message_id: str, message_en: str) -> Problem:
    """One located problem (Indonesian and English)."""
    return Problem(code, path, message_id, message_en)


def invalid(problems: list[Problem], message_id: str, message_en: str, code: str = "invalid") -> WorkflowInvalid:
    """A WorkflowInvalid whose message lists the problems after a summary."""
    detail_id = "; ".join(p.message_id for p in problems)
    detail_en = "; ".join(p.message_en for p in problems)
    return WorkflowInvalid(f"{message_id}: {detail_id}", f"{message_en}: {detail_en}", code=code,
                           problems=problems, field=problems[0].path if problems else None)
