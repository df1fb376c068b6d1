"""Condition trees: the Python meaning of a condition, the facts it reads, and its human rendering.

A condition is a leaf ``{"fact": id, "op": op, "value": v}`` or ``{"all": [...]}``, ``{"any": [...]}``,
``{"not": cond}``. A leaf on a fact that is not set is false (``is_set`` says whether it is set); ``not`` negates
the whole truth value, so ``not (x > 5)`` is true when x is missing. The compiler reproduces exactly this.
"""
from __future__ import annotations

import operator

_CMP = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
        ">=": operator.ge}
_WORDS = {"id": {"all": " dan ", "any": " atau ", "not": "bukan ", "is_set": "terisi", "between": "antara",
                 "in": "salah satu dari", "always": "selalu"},
          "en": {"all": " and ", "any": " or ", "not": "not ", "is_set": "is set", "between": "between",
                 "in": "one of", "always": "always"}}


def holds(cond: dict | None, facts: dict) -> bool:
    """Evaluate a (validated) condition over a fact dict (fact id -> value); None means always true."""
    if cond is None:
        return True
    if "all" in cond:
        return all(holds(c, facts) for c in cond["all"])
    if "any" in cond:
        return any(holds(c, facts) for c in cond["any"])
    if "not" in cond:
        return not holds(cond["not"], facts)
    value = facts.get(cond["fact"])
    if value is None:
        return False
    op = cond["op"]
    if op == "is_set":
        return True
    if op == "between":
        return cond["value"][0] <= value <= cond["value"][1]
    if op == "in":
        return value in cond["value"]
    return _CMP[op](value, cond["value"])


def facts_in(cond: dict | None) -> list[str]:
    """The fact ids a condition reads, in first-seen order."""
    found: list[str] = []

    def walk(c):
        if c is None:
            return
        if "all" in c or "any" in c:
            for sub in c.get("all", c.get("any")):
                walk(sub)
        elif "not" in c:
            walk(c["not"])
        elif c.get("fact") not in found:
            found.append(c["fact"])
    walk(cond)
    return found


def cell_condition(fact: str, cell) -> dict | None:
    """A decision-table cell as a leaf: a literal means '=', '-' means any, a dict gives op and value."""
    if cell == "-":
        return None
    if isinstance(cell, dict):
        leaf = {"fact": fact, "op": cell.get("op")}
        if "value" in cell:
            leaf["value"] = cell["value"]
        return leaf
    return {"fact": fact, "op": "=", "value": cell}


def row_condition(inputs: list[str], cells: list) -> dict | None:
    """The condition of a decision-table row (None when every cell is '-')."""
    leaves = [c for c in (cell_condition(f, cell) for f, cell in zip(inputs, cells)) if c is not None]
    if not leaves:
        return None
    return leaves[0] if len(leaves) == 1 else {"all": leaves}


def _lit(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_lit(v) for v in value) + "]"
    return str(value)


def render(cond: dict | None, lang: str = "id") -> str:
    """A compact human rendering, e.g. ``capaian_tertimbang >= 110 dan jumlah_iki_utama_di_bawah = 0``."""
    w = _WORDS[lang]
    if cond is None:
        return w["always"]
    if "all" in cond or "any" in cond:
        key = "all" if "all" in cond else "any"
        parts = [render(c, lang) for c in cond[key]]
        return "(" + w[key].join(parts) + ")" if len(parts) > 1 else "".join(parts)
    if "not" in cond:
        return w["not"] + render(cond["not"], lang)
    op = cond.get("op")
    if op == "is_set":
        return f"{cond.get('fact')} {w['is_set']}"
    if op == "between":
        return f"{cond.get('fact')} {w['between']} {_lit(cond.get('value'))}"
    if op == "in":
        return f"{cond.get('fact')} {w['in']} {_lit(cond.get('value'))}"
    return f"{cond.get('fact')} {op} {_lit(cond.get('value'))}"
