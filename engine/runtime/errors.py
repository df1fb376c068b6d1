"""Error types of the kernel: every error carries a machine code, a path and a message in Indonesian and English."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem: `path` says where (e.g. ``rules[3].when.all[1].fact``)."""

    code: str
    path: str
    message_id: str
    message_en: str

    def as_dict(self) -> dict:
        """Return the problem as a JSON-ready dict."""
        return {"code": self.code, "path": self.path, "message": {"id": self.message_id, "en": self.message_en}}


class EngineError(Exception):
    """Base of every error raised by `engine`; the web layer maps the subclasses once."""

    status = "invalid"

    def __init__(self, message_id: str, message_en: str | None = None, *, code: str = "error",
                 problems: list[Problem] | None = None, field: str | None = None):
        super().__init__(message_id)
        self.message_id = message_id
        self.message_en = message_en or message_id
        self.code = code
        self.problems = list(problems or [])
        self.field = field

    def message(self, lang: str = "id") -> str:
        """The message in the asked language (Indonesian unless `en`)."""
        return self.message_en if lang == "en" else self.message_id


class ValidationFailed(EngineError):
    """Input or a rule document is invalid; `problems` lists every located problem."""

    status = "invalid"


def refuse(problems: list[Problem]) -> None:
    """Raise ValidationFailed with every problem, its message and field those of the first; nothing when none."""
    if problems:
        first = problems[0]
        raise ValidationFailed(first.message_id, first.message_en, code="invalid", problems=problems,
                               field=first.path)


class NotAllowed(EngineError):
    """The acting user may not do this."""

    status = "forbidden"


class NotFound(EngineError):
    """The record does not exist or is outside the user's scope (same answer, nothing leaked)."""

    status = "not_found"


class Conflict(EngineError):
    """A concurrent change or a state that forbids the action."""

    status = "conflict"


class RuleEvaluationError(EngineError):
    """durable_rules failed to decide; the ruleset was rebuilt and nothing was stored."""

    status = "engine_error"
