"""The OpenAPI 3.1 description of the archive's JSON API (hand-written, validated in tests)."""

from __future__ import annotations


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _param(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


PAGE = _param("page", {"type": "integer", "minimum": 1}, "Page number, from 1.")
NULLABLE_STR = {"type": ["string", "null"]}


def document(server_url: str) -> dict:
    session = {"type": "object", "required": ["id", "title", "status", "starts_at"],
               "properties": {
                   "id": {"type": "integer"}, "title": {"type": "string"},
                   "body": {"type": "object", "properties": {"slug": {"type": "string"},
                                                             "name": {"type": "string"}}},
                   "kind": {"type": "string"},
                   "status": {"enum": ["scheduled", "live", "held", "cancelled"]},
                   "place": {"type": "string"},
                   "starts_at": {"type": "string", "format": "date-time"},
                   "ends_at": {"type": ["string", "null"], "format": "date-time"},
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
                     "title": {"type": "string"}, "published_at": NULLABLE_STR,
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
                "responses": {"200": _json({"type": "object", "properties": {
                    "upcoming": {"type": "array", "items": _ref("Session")},
                    "past": {"type": "array", "items": _ref("Session")},
                    "page": {"type": "integer"},
                    "next_page": {"type": ["integer", "null"]}}})}}},
            "/api/sessions/{session_id}": {"get": {
                "summary": "One session with agenda and documents", "operationId": "getSession",
                "parameters": [{"name": "session_id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": {"200": _json(_ref("Session")),
                              "404": {"description": "No such session"}}}},
            "/api/recordings": {"get": {
                "summary": "Recordings, newest first", "operationId": "listRecordings",
                "parameters": [PAGE],
                "responses": {"200": _json({"type": "object", "properties": {
                    "recordings": {"type": "array", "items": _ref("Recording")},
                    "page": {"type": "integer"},
                    "next_page": {"type": ["integer", "null"]}}})}}},
            "/api/search": {"get": {
                "summary": "Full-text search, results grouped by session",
                "operationId": "search",
                "parameters": [
                    _param("q", {"type": "string", "maxLength": 200}, "Words; prefixes match."),
                    _param("year", {"type": "integer"}, "Only this year."),
                    _param("body", {"type": "integer"}, "Only this body (id)."),
                    _param("transcript", {"enum": ["1"]}, "Only groups with a transcript."),
                    _param("before", {"type": "integer"}, "Cursor from next_cursor."),
                ],
                "responses": {"200": _json({"type": "object", "properties": {
                    "query": {"type": "string"},
                    "terms": {"type": "array", "items": {"type": "string"}},
                    "corrected": {"type": ["array", "null"], "items": {"type": "string"}},
                    "groups": {"type": "array", "items": {"type": "object", "properties": {
                        "session": {"oneOf": [_ref("Session"), {"type": "null"}]},
                        "recording_id": {"type": ["integer", "null"]},
                        "hits": {"type": "array", "items": _ref("Hit")}}}},
                    "next_cursor": {"type": ["integer", "null"]}}})}}},
        },
        "components": {"schemas": {"Session": session, "Recording": recording, "Hit": hit}},
    }
