"""A local server that answers like Google Cloud Speech-to-Text v1's REST API
(``POST /v1/speech:recognize``): ``RecognizeResponse`` JSON (results[].alternatives[] with
transcript, confidence and words with startTime/endTime as protobuf Duration strings,
resultEndTime, languageCode; totalBilledTime, requestId) and Google's error body
(``{"error": {"code", "message", "status"}}``) for 4xx/5xx. The tests drive the real
client library (REST transport) against it."""

from __future__ import annotations

import base64
import io
import json
import threading
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATUS = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 429: "RESOURCE_EXHAUSTED",
          500: "INTERNAL", 503: "UNAVAILABLE"}


def duration(seconds: float) -> str:
    """A protobuf Duration in JSON: "1.500s", "15s"."""
    text = f"{seconds:.3f}".rstrip("0").rstrip(".")
    return f"{text}s"


def recognize_response(phrases: list[tuple[float, float, str]], billed: float) -> dict:
    """One result per phrase, words spread evenly over it."""
    results = []
    for start, end, text in phrases:
        words = text.split()
        step = (end - start) / max(len(words), 1)
        results.append({
            "alternatives": [{
                "transcript": text, "confidence": 0.87,
                "words": [{"startTime": duration(start + i * step),
                           "endTime": duration(start + (i + 1) * step), "word": word}
                          for i, word in enumerate(words)]}],
            "resultEndTime": duration(end), "languageCode": "ka-ge"})
    return {"results": results, "totalBilledTime": duration(billed),
            "requestId": "7012358432765198245"}


class SpeechServer:
    """``answers``: a function (request JSON, audio seconds, request number) → (status, body);
    by default each request is answered with two phrases of its own audio."""

    def __init__(self, answers=None):
        self.requests: list[dict] = []
        self.answers = answers or self.default
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                server.requests.append({"path": self.path, "body": body})
                if self.path.split("?")[0] != "/v1/speech:recognize":
                    return self._send(404, {"error": {"code": 404, "message": "Not Found",
                                                      "status": "NOT_FOUND"}})
                content = base64.b64decode(body.get("audio", {}).get("content", ""))
                with wave.open(io.BytesIO(content), "rb") as wav:
                    seconds = wav.getnframes() / wav.getframerate()
                status, answer = server.answers(body, seconds, len(server.requests))
                self._send(status, answer)

            def _send(self, status, answer):
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @staticmethod
    def default(body, seconds, number):
        half = seconds / 2
        return 200, recognize_response(
            [(0.4, half, f"ნაწილი {number} მალთაყვის სანაპირო"),
             (half, seconds - 0.2, f"ფოთის ბიუჯეტი {number}")],
            billed=float(int(seconds) + (1 if seconds % 1 else 0)))

    @staticmethod
    def error(code: int, message: str):
        return lambda body, seconds, number: (
            code, {"error": {"code": code, "message": message, "status": STATUS[code]}})

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def silence(path, seconds: float, rate: int = 16_000) -> str:
    """A 16 kHz mono 16-bit WAV of ``seconds`` of silence (what the job hands a backend)."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"\0\0" * int(seconds * rate))
    return str(path)
