"""The API's one error mapping: every error becomes the envelope {error: {code, message: {id, en}, lang, fields}}.

Kernel errors keep their code and located problems; HTTP errors (bad JSON, oversized body, unknown route...) and
marshmallow/webargs validation errors get Indonesian and English messages. Handlers are registered on the API's
blueprints, plus app-level 404/405 handlers that answer JSON only under /api/ and hand every other path back to
the console's HTML error pages (admin/errors.py).
"""
from __future__ import annotations

import re

from flask import Flask, current_app, g, jsonify, request
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from admin.i18n import TEXT
from engine.api_tokens import TokenRejected, TokenThrottled
from engine.runtime.errors import Conflict, EngineError, NotAllowed, NotFound, RuleEvaluationError, ValidationFailed

LANGUAGES = ("id", "en")

#: Kernel error class -> HTTP status (first match wins; workflow errors subclass these).
STATUS = ((TokenRejected, 401), (TokenThrottled, 429), (NotAllowed, 403), (NotFound, 404), (Conflict, 409),
          (ValidationFailed, 422), (RuleEvaluationError, 503))

#: HTTP status -> (code, Indonesian, English) for errors that carry no message of ours.
HTTP_TEXT = {
    400: ("bad_request", "Permintaan tidak valid.", "Bad request."),
    401: ("unauthenticated", "Token API wajib: kirim header 'Authorization: Bearer <token>'.",
          "An API token is required: send the header 'Authorization: Bearer <token>'."),
    403: ("forbidden", "Anda tidak berwenang melakukan ini.", "You are not allowed to do this."),
    404: ("not_found", "Alamat atau data tidak ditemukan.", "The address or record does not exist."),
    405: ("method_not_allowed", "Metode ini tidak diizinkan pada alamat ini.", "This method is not allowed here."),
    406: ("not_acceptable", "Format jawaban yang diminta tidak tersedia.", "The requested response format is not available."),
    409: ("conflict", "Terjadi konflik dengan data yang tersimpan.", "The request conflicts with the stored data."),
    412: ("precondition_failed", "ETag tidak cocok: data telah diubah orang lain; muat ulang lalu ulangi.",
          "The ETag does not match: someone changed the record; reload and retry."),
    413: ("too_large", "Data yang dikirim melebihi batas ukuran.", "The request body is larger than allowed."),
    415: ("unsupported_media_type", "Jenis isi permintaan tidak didukung.", "The request content type is not supported."),
    422: ("invalid", "Data tidak valid; lihat daftar kolom.", "The data is invalid; see the field list."),
    428: ("precondition_required", "Header If-Match wajib untuk mengubah evaluasi (nilai ETag terakhir).",
          "The If-Match header is required to change an evaluation (the latest ETag)."),
    429: ("throttled", "Terlalu banyak permintaan; coba lagi nanti.", "Too many requests; try again later."),
    500: ("internal", "Terjadi kesalahan; sudah dicatat. Silakan coba lagi.", "Something went wrong; it was logged."),
    503: ("unavailable", "Mesin aturan sedang tidak dapat memutuskan; coba lagi.", "The rules engine could not decide; retry."),
}

#: marshmallow and webargs messages in Indonesian (exact texts, then patterns with values).
_EXACT = {
    "Missing data for required field.": "Wajib diisi.",
    "Field may not be null.": "Tidak boleh kosong (null).",
    "Unknown field.": "Kolom tidak dikenal.",
    "Invalid input type.": "Jenis masukan tidak valid.",
    "Invalid type.": "Jenis tidak valid.",
    "Invalid value.": "Nilai tidak valid.",
    "Not a valid string.": "Bukan teks yang valid.",
    "Not a valid integer.": "Bukan bilangan bulat yang valid.",
    "Not a valid number.": "Bukan angka yang valid.",
    "Number too large.": "Angka terlalu besar.",
    "Special numeric values (nan or infinity) are not permitted.": "Nilai NaN atau tak hingga tidak diizinkan.",
    "Not a valid boolean.": "Bukan nilai benar/salah (boolean) yang valid.",
    "Not a valid date.": "Bukan tanggal yang valid (YYYY-MM-DD).",
    "Not a valid datetime.": "Bukan waktu yang valid (ISO 8601).",
    "Not a valid list.": "Bukan daftar yang valid.",
    "Not a valid mapping type.": "Bukan objek yang valid.",
    "Not a valid URL.": "Bukan alamat URL yang valid.",
    "Invalid JSON body.": "Isi permintaan bukan JSON yang sah.",
    "String does not match expected pattern.": "Teks tidak sesuai pola yang diharapkan.",
    "Text may not contain NUL characters.": "Teks tidak boleh berisi karakter NUL.",
    "Too deeply nested.": "Struktur terlalu dalam.",
    "Too many values.": "Terlalu banyak nilai.",
    "Not a valid file.": "Bukan berkas yang valid.",
    "Not JSON data.": "Bukan data JSON (mis. tanggal YAML tanpa tanda kutip atau kunci bukan teks).",
}
_PATTERNS = (
    (re.compile(r"^Must be one of: (.*)\.$"), "Harus salah satu dari: {0}."),
    (re.compile(r"^Must be greater than or equal to (.*) and less than or equal to (.*)\.$"), "Harus antara {0} dan {1}."),
    (re.compile(r"^Must be greater than or equal to (.*)\.$"), "Harus paling sedikit {0}."),
    (re.compile(r"^Must be less than or equal to (.*)\.$"), "Harus paling banyak {0}."),
    (re.compile(r"^Length must be between (.*) and (.*)\.$"), "Panjang harus antara {0} dan {1}."),
    (re.compile(r"^Shorter than minimum length (.*)\.$"), "Lebih pendek dari panjang minimum {0}."),
    (re.compile(r"^Longer than maximum length (.*)\.$"), "Lebih panjang dari panjang maksimum {0}."),
    (re.compile(r"^Length must be (.*)\.$"), "Panjang harus {0}."),
)


def api_language() -> str:
    """The language of an API answer: ?lang=, the token user's setting, Accept-Language, else Indonesian."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    user = g.get("api_user")
    if user is not None and user.locale in LANGUAGES:
        return user.locale
    return request.accept_languages.best_match(LANGUAGES, default="id") or "id"


def translate(message: str) -> dict:
    """A marshmallow/webargs message as {id, en}."""
    if message in _EXACT:
        return {"id": _EXACT[message], "en": message}
    for pattern, text in _PATTERNS:
        match = pattern.match(message)
        if match:
            return {"id": text.format(*match.groups()), "en": message}
    return {"id": message, "en": message}


def _join(path: str, key) -> str:
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        return f"{path}[{key}]"
    if key == "_schema":
        return path or "$"
    return f"{path}.{key}" if path else str(key)


def flatten(messages, path: str = "") -> dict[str, list[dict]]:
    """marshmallow's nested error messages as {"rhk[0].iki[1].target": [{id, en}, ...]}."""
    out: dict[str, list[dict]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key in ("key", "value") and path and isinstance(value, (list, dict)):
                for sub, msgs in flatten(value, path).items():  # Dict fields: errors of the key or the value
                    out.setdefault(sub, []).extend(msgs)
                continue
            for sub, msgs in flatten(value, _join(path, key)).items():
                out.setdefault(sub, []).extend(msgs)
    elif isinstance(messages, (list, tuple)):
        for item in messages:
            if isinstance(item, (dict, list)):
                for sub, msgs in flatten(item, path).items():
                    out.setdefault(sub, []).extend(msgs)
            else:
                out.setdefault(path or "$", []).append(translate(str(item)))
    else:
        out.setdefault(path or "$", []).append(translate(str(messages)))
    return out


def envelope(code: str, message_id: str, message_en: str, fields: dict | None = None) -> dict:
    """The error body (the same shape as admin.errors.envelope, with the API's own language choice)."""
    return {"error": {"code": code, "message": {"id": message_id, "en": message_en}, "lang": api_language(),
                      "fields": fields or {}}}


def error_response(status: int, code: str, message_id: str, message_en: str, fields: dict | None = None,
                   headers: dict | None = None):
    """A JSON error response."""
    response = jsonify(envelope(code, message_id, message_en, fields))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    return response


def status_of(error: EngineError) -> int:
    """HTTP status of a kernel error."""
    for cls, status in STATUS:
        if isinstance(error, cls):
            return status
    return 422


def engine_error(error: EngineError):
    """A kernel error (engine, rules, workflows) as an envelope with its located problems."""
    status = status_of(error)
    fields: dict[str, list[dict]] = {}
    for p in error.problems:
        fields.setdefault(p.path or "$", []).append({"id": p.message_id, "en": p.message_en})
    if not fields and error.field and status == 422:
        fields[error.field] = [{"id": error.message_id, "en": error.message_en}]
    headers = {}
    if isinstance(error, TokenRejected):
        invalid = ', error="invalid_token"' if error.code != "token_required" else ""
        headers["WWW-Authenticate"] = f'Bearer realm="kinerja"{invalid}'
    if isinstance(error, TokenThrottled):
        headers["Retry-After"] = str(error.wait)
    return error_response(status, error.code, error.message_id, error.message_en, fields, headers)


def http_error(error: HTTPException):
    """An HTTP error (from routing, webargs, werkzeug or our own abort) as an envelope."""
    status = error.code or 500
    code, message_id, message_en = HTTP_TEXT.get(status, (f"http_{status}", error.name, error.name))
    data = getattr(error, "data", None) or {}
    fields = {}
    headers = dict(data.get("headers") or {})
    if "messages" in data:
        messages = data["messages"]
        if isinstance(messages, dict) and len(messages) == 1:  # webargs nests by location: {"json": {...}}
            messages = next(iter(messages.values()))
        fields = flatten(messages)
        if status == 400:
            code, message_id, message_en = "invalid_json", "Isi permintaan bukan JSON yang sah.", \
                "The request body is not valid JSON."
        elif status == 422:
            message_id = f"Data tidak valid: {len(fields)} kolom bermasalah ({', '.join(sorted(fields)[:10])})."
            message_en = f"The data is invalid: {len(fields)} field(s) ({', '.join(sorted(fields)[:10])})."
    if status == 405:
        allowed = sorted(set(getattr(error, "valid_methods", None) or []))
        headers["Allow"] = ", ".join(allowed)
        message_id = f"Metode {request.method} tidak diizinkan di sini; gunakan: {', '.join(allowed)}."
        message_en = f"The method {request.method} is not allowed here; use: {', '.join(allowed)}."
    if status == 413:
        limit = request.max_content_length
        message_id = f"Data yang dikirim melebihi batas {limit} byte."
        message_en = f"The request body is larger than the limit of {limit} bytes."
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="kinerja"')
    return error_response(status, code, message_id, message_en, fields, headers)


def conflict_error(error: Exception):
    """A database conflict the services did not foresee (a unique key, a concurrent change) as 409."""
    current_app.logger.info("API conflict: %s", error)
    return error_response(409, "conflict", *TEXT["error.409.text"])


def data_error(error: Exception):
    """A value the database refused (out of range, too long) that validation let through: 422, logged."""
    current_app.logger.warning("API value refused by the database: %s", error)
    return error_response(422, "invalid", "Nilai ditolak basis data (terlalu panjang atau di luar batas).",
                          "The database refused a value (too long or out of range).")


def unexpected_error(error: Exception):
    """Anything else: logged, answered with the generic 500 envelope (never a traceback)."""
    current_app.logger.exception("unexpected API error")
    code, message_id, message_en = HTTP_TEXT[500]
    return error_response(500, code, message_id, message_en)


def register_handlers(blueprint) -> None:
    """Attach the error handlers to one API blueprint."""
    blueprint.register_error_handler(EngineError, engine_error)
    blueprint.register_error_handler(HTTPException, http_error)
    blueprint.register_error_handler(IntegrityError, conflict_error)
    blueprint.register_error_handler(StaleDataError, conflict_error)
    blueprint.register_error_handler(DataError, data_error)
    blueprint.register_error_handler(Exception, unexpected_error)


def init_app(app: Flask, prefix: str) -> None:
    """404 and 405 raised by routing (before any blueprint): JSON under `prefix`, the console's pages elsewhere."""

    def routing_error(error: HTTPException):
        if request.path.startswith(prefix):
            return http_error(error)
        fallback = app.error_handler_spec.get(None, {}).get(None, {}).get(HTTPException)
        return fallback(error) if fallback else error

    app.register_error_handler(404, routing_error)
    app.register_error_handler(405, routing_error)
