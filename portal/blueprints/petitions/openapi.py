"""The OpenAPI 3.1 description of the petitions' JSON API (hand-written, validated in tests),
in the form of the sessions archive's: problem+json errors, ``page``/``next_page`` paging.
Counts only: no signer's name, personal number or e-mail is part of any answer."""

from __future__ import annotations

from portal.blueprints.petitions.queries import ANNOUNCED_STEPS, PUBLIC_STATUSES

#: The API's parameter limits (the views check them as documented here).
MAX_PAGE = 10_000
MAX_QUERY = 100
PER_PAGE = 50


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict) -> dict:
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


def _problem(description: str) -> dict:
    return {"description": description,
            "content": {"application/problem+json": {"schema": _ref("Problem")}}}


ERRORS = {"400": "BadRequest", "404": "NotFound", "405": "MethodNotAllowed",
          "429": "TooManyRequests", "500": "ServerError"}
DATE_TIME = {"type": ["string", "null"], "format": "date-time",
             "description": "RFC 3339 in UTC, e.g. 2026-03-14T08:00:00Z."}
PROBLEM = {"type": "object", "required": ["type", "title", "status", "detail"],
           "description": "RFC 9457 problem details, in the municipality's language.",
           "properties": {"type": {"type": "string", "format": "uri-reference"},
                          "title": {"type": "string"}, "status": {"type": "integer"},
                          "detail": {"type": "string"}}}


UNITS_NOTE = ("Counted signatures per administrative unit the signers named: every unit of the "
              "municipality's list in its order, \"other\" (a name not on the list, never "
              "shown) and \"not_named\"; empty for a municipality without units.")
UNIT_SUPPORT = {"type": "object", "additionalProperties": False,
                "required": ["kind", "signatures", "unit"],
                "properties": {
                    "kind": {"enum": ["unit", "other", "not_named"]},
                    "signatures": {"type": "integer", "minimum": 0},
                    "unit": {"oneOf": [{"type": "null"}, {
                        "type": "object", "additionalProperties": False,
                        "required": ["ka", "en"],
                        "properties": {"ka": {"type": "string"}, "en": {"type": "string"}}}]}}}
DAY_SUPPORT = {"type": "object", "additionalProperties": False,
               "required": ["date", "signatures", "total"],
               "properties": {"date": {"type": "string", "format": "date"},
                              "signatures": {"type": "integer", "minimum": 0},
                              "total": {"type": "integer", "minimum": 0,
                                        "description": "Counted up to and including the day."}}}
VERIFICATION = {
    "type": "object", "additionalProperties": False,
    "description": "The clerk's check of a random sample of the signatures against the voter "
                   "list, published once the whole sample is marked; the estimate applies the "
                   "sample's share of valid signatures to all of them (Wilson score interval "
                   "with the finite population correction).",
    "required": ["population", "sample", "invalid", "count_after_verification",
                 "estimated_valid", "valid_low", "valid_high", "confidence", "threshold",
                 "threshold_reached"],
    "properties": {
        "population": {"type": "integer", "description": "Signatures the sample was drawn from."},
        "sample": {"type": "integer", "description": "Signatures checked."},
        "invalid": {"type": "integer", "description": "Checked signatures found invalid."},
        "count_after_verification": {"type": "integer",
                                     "description": "population minus the invalid ones found."},
        "estimated_valid": {"type": "integer"},
        "valid_low": {"type": "integer", "description": "The interval's lower end."},
        "valid_high": {"type": "integer", "description": "The interval's upper end."},
        "confidence": {"type": "number", "description": "The interval's confidence (0.95)."},
        "threshold": {"type": ["integer", "null"]},
        "threshold_reached": {"enum": ["yes", "no", "unclear", None],
                              "description": "yes: the lower end reaches the threshold; no: "
                                             "the upper end stays below it; unclear: the "
                                             "interval holds it."}}}
SESSION_LINK = {
    "type": "object", "additionalProperties": False,
    "required": ["title", "starts_at", "url", "moment_url", "moment_seconds"],
    "properties": {
        "title": {"type": "string"}, "starts_at": DATE_TIME,
        "url": {"type": ["string", "null"], "format": "uri",
                "description": "The session's page in the archive (null while the "
                               "municipality's archive is switched off)."},
        "moment_url": {"type": ["string", "null"], "format": "uri",
                       "description": "The session's page with the recording started where "
                                      "the petition was discussed; null when not recorded."},
        "moment_seconds": {"type": ["integer", "null"], "minimum": 0,
                           "description": "Where the discussion starts in the recording."}}}


def _responses(ok: dict) -> dict:
    return {"200": ok, **{code: {"$ref": f"#/components/responses/{name}"}
                          for code, name in ERRORS.items()}}


def document(server_url: str) -> dict:
    petition = {"type": "object", "additionalProperties": False,
                "required": ["id", "title", "status", "signature_count", "url"],
                "properties": {
                    "id": {"type": "integer"}, "title": {"type": "string"},
                    "form": {"enum": ["draft_resolution", "principles", "request_to_discuss"]},
                    "status": {"enum": sorted(PUBLIC_STATUSES)},
                    "rejection_reason": {"type": ["string", "null"]},
                    "collection_opens_at": DATE_TIME, "collection_closes_at": DATE_TIME,
                    "closed_at": DATE_TIME,
                    "threshold": {"type": ["integer", "null"],
                                  "description": "Signatures needed (1% of the voters)."},
                    "signature_count": {"type": "integer",
                                        "description": "Confirmed signatures (a count only)."},
                    "url": {"type": "string", "format": "uri"},
                    "text": {"type": "string"}, "requested_action": {"type": "string"},
                    "decision_text": {"type": "string",
                                      "description": "The Sakrebulo's decision (empty until "
                                                     "decided; one petition only)."},
                    "session": {"oneOf": [{"type": "null"}, _ref("SessionLink")],
                                "description": "The session of the council archive the "
                                               "petition is on the agenda of (one petition "
                                               "only)."},
                    "timeline": {"type": "array", "items": {
                        "type": "object", "additionalProperties": False,
                        "properties": {"step": {"enum": ["collecting", *ANNOUNCED_STEPS]},
                                       "occurred_at": DATE_TIME,
                                       "note": {"type": "string"}}}},
                    "support_by_unit": {
                        "type": "array", "description": UNITS_NOTE, "items": _ref("UnitSupport")},
                    "signatures_by_day": {
                        "type": "array", "items": _ref("DaySupport"),
                        "description": "Counted signatures per day of confirmation in the "
                                       "municipality's time zone, every day of collection."},
                    "verification": {"oneOf": [{"type": "null"}, _ref("Verification")]}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Electronic petitions", "version": "1.0.0",
                 "description": "One municipality's public petitions with their signature "
                                "counts. Read-only, no key, no personal data."},
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": {
            "/api/petitions": {"get": {
                "summary": "Public petitions, newest first", "operationId": "listPetitions",
                "parameters": [
                    {"name": "status", "in": "query", "required": False,
                     "schema": {"enum": sorted(PUBLIC_STATUSES)}, "description": "Only this status."},
                    {"name": "q", "in": "query", "required": False,
                     "schema": {"type": "string", "maxLength": MAX_QUERY},
                     "description": "Words in the title or text."},
                    {"name": "page", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                     "description": "Page number, from 1."}],
                "responses": _responses(_json({"type": "object", "properties": {
                    "petitions": {"type": "array", "items": _ref("Petition")},
                    "page": {"type": "integer"},
                    "next_page": {"type": ["integer", "null"]}}}))}},
            "/api/petitions/{petition_id}": {"get": {
                "summary": "One petition with its text and timeline", "operationId": "getPetition",
                "parameters": [{"name": "petition_id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": _responses(_json(_ref("Petition")))}},
        },
        "components": {
            "schemas": {"Petition": petition, "Problem": PROBLEM, "UnitSupport": UNIT_SUPPORT,
                        "DaySupport": DAY_SUPPORT, "Verification": VERIFICATION,
                        "SessionLink": SESSION_LINK},
            "responses": {
                "BadRequest": _problem("A parameter is not as documented (detail names it)."),
                "NotFound": _problem("No such petition, or no such path under the API."),
                "MethodNotAllowed": _problem("Only GET is answered (see the Allow header)."),
                "TooManyRequests": _problem("Too many requests; wait and try again."),
                "ServerError": _problem("An error on the server's side."),
            }},
    }
