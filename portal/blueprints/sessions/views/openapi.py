"""The OpenAPI 3.1 description of the archive's JSON API (hand-written, validated in tests)."""

from __future__ import annotations


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _param(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


PAGE = _param("page", {"type": "integer", "minimum": 1, "maximum": 10_000},
              "Page number, from 1.")
DATE_TIME = {"type": "string", "format": "date-time",
             "description": "RFC 3339 in UTC, e.g. 2025-03-14T08:00:00Z."}
NULLABLE_DATE_TIME = {**DATE_TIME, "type": ["string", "null"]}
PROBLEM = {"type": "object", "required": ["type", "title", "status", "detail"],
           "description": "RFC 9457 problem details, in the municipality's language.",
           "properties": {"type": {"type": "string", "format": "uri-reference"},
                          "title": {"type": "string"}, "status": {"type": "integer"},
                          "detail": {"type": "string"}}}
#: Every operation may answer these, as application/problem+json.
ERRORS = {"400": "BadRequest", "404": "NotFound", "405": "MethodNotAllowed",
          "429": "TooManyRequests", "500": "ServerError"}


def _problem(description: str) -> dict:
    return {"description": description,
            "content": {"application/problem+json": {"schema": _ref("Problem")}}}


def _responses(ok: dict) -> dict:
    return {"200": ok, **{code: {"$ref": f"#/components/responses/{name}"}
                          for code, name in ERRORS.items()}}


def document(server_url: str) -> dict:
    session = {"type": "object", "required": ["id", "title", "status", "starts_at"],
               "properties": {
                   "id": {"type": "integer"}, "title": {"type": "string"},
                   "body": {"type": "object", "properties": {"slug": {"type": "string"},
                                                             "name": {"type": "string"}}},
                   "kind": {"type": "string"},
                   "status": {"enum": ["scheduled", "live", "held", "cancelled"]},
                   "place": {"type": "string"},
                   "starts_at": DATE_TIME,
                   "ends_at": NULLABLE_DATE_TIME,
                   "url": {"type": "string", "format": "uri"},
                   "recording_ids": {"type": "array", "items": {"type": "integer"}},
                   "description": {"type": "string"},
                   "agenda": {"type": "array", "items": {"type": "object"}},
                   "documents": {"type": "array", "items": {"type": "object"}}}}
    recording = {"type": "object", "required": ["id", "source", "external_id"],
                 "properties": {
                     "id": {"type": "integer"}, "source": {"enum": ["youtube", "facebook",
                                                                     "upload"]},
                     "external_id": {"type": "string"}, "url": {"type": "string"},
                     "title": {"type": "string"}, "published_at": NULLABLE_DATE_TIME,
                     "duration_seconds": {"type": ["integer", "null"]},
                     "live_status": {"enum": ["none", "upcoming", "live", "was_live"]},
                     "session_id": {"type": ["integer", "null"]},
                     "match_confidence": {"type": "number"},
                     "is_match_confirmed": {"type": "boolean"},
                     "has_transcript": {"type": "boolean"},
                     "chapters": {"type": "array", "items": {"type": "object"}}}}
    hit = {"type": "object", "properties": {
        "kind": {"enum": ["session", "agenda", "document", "recording", "transcript"]},
        "recording_id": {"type": ["integer", "null"]},
        "start_s": {"type": ["number", "null"], "description": "Second to play from."},
        "speaker": {"type": "string"}, "text": {"type": "string"},
        "matches": {"type": "array", "items": {"type": "string"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Council sessions archive", "version": "1.0.0",
                 "description": "Sessions, recordings and full-text search of one "
                                "municipality's Sakrebulo archive. Read-only, no key."},
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": {
            "/api/sessions": {"get": {
                "summary": "Upcoming and past sessions", "operationId": "listSessions",
                "parameters": [PAGE],
                "responses": _responses(_json({"type": "object", "properties": {
                    "upcoming": {"type": "array", "items": _ref("Session")},
                    "past": {"type": "array", "items": _ref("Session")},
                    "page": {"type": "integer"},
                    "next_page": {"type": ["integer", "null"]}}}))}},
            "/api/sessions/{session_id}": {"get": {
                "summary": "One session with agenda and documents", "operationId": "getSession",
                "parameters": [{"name": "session_id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": _responses(_json(_ref("Session")))}},
            "/api/recordings": {"get": {
                "summary": "Recordings, newest first", "operationId": "listRecordings",
                "parameters": [PAGE],
                "responses": _responses(_json({"type": "object", "properties": {
                    "recordings": {"type": "array", "items": _ref("Recording")},
                    "page": {"type": "integer"},
                    "next_page": {"type": ["integer", "null"]}}}))}},
            "/api/search": {"get": {
                "summary": "Full-text search, results grouped by session",
                "operationId": "search",
                "parameters": [
                    _param("q", {"type": "string", "maxLength": 200}, "Words; prefixes match."),
                    _param("year", {"type": "integer", "minimum": 1990, "maximum": 2100},
                           "Only this year."),
                    _param("body", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                           "Only this body (id)."),
                    _param("transcript", {"enum": ["1"]}, "Only groups with a transcript."),
                    _param("before", {"type": "integer", "minimum": 1, "maximum": 2**62},
                           "Cursor from next_cursor."),
                ],
                "responses": _responses(_json({"type": "object", "properties": {
                    "query": {"type": "string"},
                    "terms": {"type": "array", "items": {"type": "string"}},
                    "corrected": {"type": ["array", "null"], "items": {"type": "string"}},
                    "groups": {"type": "array", "items": {"type": "object", "properties": {
                        "session": {"oneOf": [_ref("Session"), {"type": "null"}]},
                        "recording_id": {"type": ["integer", "null"]},
                        "hits": {"type": "array", "items": _ref("Hit")}}}},
                    "next_cursor": {"type": ["integer", "null"]}}}))}},
        },
        "components": {
            "schemas": {"Session": session, "Recording": recording, "Hit": hit,
                        "Problem": PROBLEM},
            "responses": {
                "BadRequest": _problem("A parameter is not as documented (detail names it)."),
                "NotFound": _problem("No such session, or no such path under the API."),
                "MethodNotAllowed": _problem("Only GET is answered (see the Allow header)."),
                "TooManyRequests": _problem("Too many requests; wait and try again."),
                "ServerError": _problem("An error on the server's side."),
            }},
    }
