"""Google Cloud Speech-to-Text v1, Georgian (``ka-GE``), through Google's client library.

One synchronous ``speech:recognize`` per piece (the service takes up to a minute of inline
audio; ``transcribe_file`` cuts at 55 s), word time offsets on, over the REST transport.
Credentials come from the environment (``GOOGLE_APPLICATION_CREDENTIALS``, the library's
application default credentials), never from code or the database. ``endpoint`` points the
client elsewhere (the tests' local server, which answers as the service does).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from portal.blueprints.sessions.sources.speech import Segment, SpeechError, Transcript
from portal.blueprints.sessions.sources.speech.audio import RATE

#: The synchronous API takes at most 60 seconds of audio a request.
PIECE_SECONDS = 55.0
LANGUAGES = {"ka": "ka-GE", "en": "en-US"}


def _seconds(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(getattr(value, "seconds", 0)) + getattr(value, "nanos", 0) / 1e9


class GoogleTranscriber:
    name = "google"
    max_piece_seconds = PIECE_SECONDS

    def __init__(self, endpoint: str | None = None, credentials=None, timeout: float = 120,
                 retry_seconds: float = 60, client=None):
        self.endpoint, self.credentials, self.timeout = endpoint, credentials, timeout
        self.retry_seconds = retry_seconds
        self._client = client

    def client(self):
        if self._client is None:
            from google.api_core.client_options import ClientOptions
            from google.cloud import speech_v1

            options = ClientOptions(api_endpoint=self.endpoint) if self.endpoint else None
            self._client = speech_v1.SpeechClient(credentials=self.credentials,
                                                  transport="rest", client_options=options)
        return self._client

    def _retry(self):
        if not self.retry_seconds:
            return None
        from google.api_core import exceptions
        from google.api_core.retry import Retry, if_exception_type

        return Retry(initial=1.0, maximum=10.0, multiplier=2.0, timeout=self.retry_seconds,
                     predicate=if_exception_type(exceptions.ServiceUnavailable,
                                                 exceptions.TooManyRequests))

    def transcribe(self, audio_path: str | Path, language: str = "ka") -> Transcript:
        from google.api_core import exceptions
        from google.auth.exceptions import DefaultCredentialsError
        from google.cloud import speech_v1

        config = speech_v1.RecognitionConfig(
            encoding=speech_v1.RecognitionConfig.AudioEncoding.LINEAR16,
            sample_rate_hertz=RATE, audio_channel_count=1,
            language_code=LANGUAGES.get(language, language),
            enable_word_time_offsets=True, enable_automatic_punctuation=True)
        audio = speech_v1.RecognitionAudio(content=Path(audio_path).read_bytes())
        try:
            response = self.client().recognize(config=config, audio=audio, retry=self._retry(),
                                               timeout=self.timeout)
        except exceptions.ClientError as exc:
            raise SpeechError("client", _message(exc), exc.code) from exc
        except exceptions.GoogleAPICallError as exc:
            raise SpeechError("server", _message(exc), exc.code) from exc
        except exceptions.RetryError as exc:  # still 503/429 when the retries ran out
            raise SpeechError("server", str(exc), getattr(exc.cause, "code", None)) from exc
        except DefaultCredentialsError as exc:
            raise SpeechError("client", f"no credentials: {exc}") from exc
        except OSError as exc:  # requests' connection errors are OSErrors
            raise SpeechError("server", f"unreachable: {exc}") from exc
        return Transcript(segments_of(response), _seconds(response.total_billed_time))


def _message(exc) -> str:
    """The service's own message, without the "POST <url>: " the REST transport puts first."""
    return re.sub(r"^[A-Z]+ \S+: ", "", exc.message or str(exc))


def segments_of(response) -> list[Segment]:
    """One line per result: its best alternative, from its first word's start to the
    result's end (``resultEndTime``); a result without words starts where the last ended."""
    out: list[Segment] = []
    previous_end = 0.0
    for result in response.results:
        if not result.alternatives:
            continue
        best = result.alternatives[0]
        text = " ".join(best.transcript.split())
        if not text:
            continue
        words = list(best.words)
        start = _seconds(words[0].start_time) if words else previous_end
        end = _seconds(result.result_end_time) or (_seconds(words[-1].end_time) if words
                                                    else start)
        out.append(Segment(start, max(end, start), text))
        previous_end = max(end, start)
    return out
