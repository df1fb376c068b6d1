"""YAML read as JSON data only: the rule documents are JSON, and YAML is just the friendlier way to write them.

PyYAML's safe loader still builds more than JSON holds. An unquoted ``2026-01-01`` becomes a ``datetime.date`` (and
``2026-13-45`` raised a bare ValueError: a 500 in the console's raw editor); ``!!binary``, ``!!set`` and ``!!omap``
build bytes, sets and pairs; ``1: x`` has an integer key, which canonical JSON cannot sort beside string keys. Each
of these is a ``yaml.YAMLError`` here, with its line and column and what to write instead, so every caller reports
it as it reports a syntax error. (The API refused dates before too, once loaded; now every reader does, alike.)
"""
from __future__ import annotations

import yaml
from yaml.constructor import ConstructorError
from yaml.error import MarkedYAMLError

from .json_data import NotJsonData, check_json_data

_NOT_JSON = ("timestamp", "binary", "set", "omap", "pairs")
_KEY_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:merge")  # text, or the `<<` of a merged mapping


class JsonDataLoader(yaml.SafeLoader):
    """SafeLoader refusing YAML-only types (dates included) and non-string keys."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag not in _KEY_TAGS:
                    raise ConstructorError(None, None, "a key must be text (quote it: \"1\": ...)",
                                           key_node.start_mark)
                if key_node.tag == _KEY_TAGS[0]:  # YAML lets the last of two equal keys win, silently
                    if key_node.value in seen:
                        raise ConstructorError(None, None, f"duplicate key '{key_node.value}'", key_node.start_mark)
                    seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def _refuse(kind: str):
    def construct(loader, node):
        if kind == "timestamp":
            problem = f"a date or time must be quoted text (\"{node.value}\")"
        else:
            problem = f"!!{kind} is not JSON data"
        raise ConstructorError(None, None, problem, node.start_mark)
    return construct


for _kind in _NOT_JSON:
    JsonDataLoader.add_constructor(f"tag:yaml.org,2002:{_kind}", _refuse(_kind))


def load_yaml(text: str):
    """Parse YAML or JSON text into plain, bounded JSON data (dict, list, str, int, float, bool, None); raise
    yaml.YAMLError for anything else: a syntax error, a YAML-only type, text nested deeper than Python recurses, an
    integer of more digits than Python converts, an alias that makes a list hold itself, a lone surrogate."""
    try:
        data = yaml.load(text, Loader=JsonDataLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise MarkedYAMLError(problem="nested too deeply") from None
    except ValueError as error:  # Python's "Exceeds the limit (4300 digits) for integer string conversion"
        reason = "a number has too many digits" if "digits" in str(error) else str(error)[:200]
        raise MarkedYAMLError(problem=reason) from None
    try:
        check_json_data(data)
    except NotJsonData as error:
        raise MarkedYAMLError(problem=error.message_en) from None
    return data


def error_position(error: yaml.YAMLError) -> tuple[tuple[int, int] | None, str]:
    """Where a YAML error is, as (line, column) counted from 1 (None if unknown), and what is wrong there."""
    mark = getattr(error, "problem_mark", None)
    reason = getattr(error, "problem", None) or type(error).__name__
    return ((mark.line + 1, mark.column + 1) if mark else None), reason
