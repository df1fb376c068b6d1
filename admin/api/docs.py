"""A docs page for the API rendered on the server from the OpenAPI document: no script, no outside request."""
from __future__ import annotations

from flask import Blueprint, Flask, render_template

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(ref: dict | None) -> str:
    if not isinstance(ref, dict):
        return ""
    if "$ref" in ref:
        return ref["$ref"].rsplit("/", 1)[-1]
    if ref.get("type") == "array":
        return f"[{_schema_name(ref.get('items'))}]"
    return ref.get("type", "")


def operations(spec: dict) -> list[dict]:
    """The operations of an OpenAPI document grouped by tag, in path order."""
    groups: dict[str, list[dict]] = {}
    for path, item in spec.get("paths", {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if not op:
                continue
            body = (op.get("requestBody") or {}).get("content", {})
            params = [*(item.get("parameters") or []), *(op.get("parameters") or [])]
            responses = []
            for code, resp in (op.get("responses") or {}).items():
                content = (resp.get("content") or {}) if isinstance(resp, dict) else {}
                schema = next(iter(content.values()), {}).get("schema") if content else None
                responses.append({"code": code, "schema": _schema_name(schema)})
            groups.setdefault((op.get("tags") or ["-"])[0], []).append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "params": [{"name": p.get("name"), "in": p.get("in"), "required": p.get("required", False)}
                           for p in params if isinstance(p, dict) and "name" in p],
                "body": {ctype: _schema_name(c.get("schema")) for ctype, c in body.items()},
                "responses": responses})
    return [{"tag": tag, "operations": ops} for tag, ops in groups.items()]


def init_app(app: Flask, api) -> None:
    """Serve /api/v1/docs."""
    bp = Blueprint("api_docs_page", __name__, template_folder="templates")

    @bp.route("/api/v1/docs")
    def page():
        spec = api.spec.to_dict()
        response = app.make_response(render_template("api_docs.html", spec=spec, groups=operations(spec),
                                                     tags={t["name"]: t.get("description", "")
                                                           for t in spec.get("tags", [])}))
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        return response

    app.register_blueprint(bp)
