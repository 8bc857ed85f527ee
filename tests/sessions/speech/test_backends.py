"""Speech-to-text backends behind one interface: Google Cloud Speech-to-Text v1 (the real
client library over REST, against a local server answering like the service), a local
command (a stand-in program printing a deterministic transcript), and the pieces a long
recording is cut into, whose offsets are added to each piece's times. Nothing reaches the
internet and no model is downloaded."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from google.auth.credentials import AnonymousCredentials

from portal.blueprints.sessions.sources.speech import (
    Segment,
    SpeechError,
    Transcript,
    audio,
    configured_transcriber,
    transcribe_file,
)
from portal.blueprints.sessions.sources.speech.command import CommandTranscriber, read_output
from portal.blueprints.sessions.sources.speech.google import GoogleTranscriber
from tests.sessions.speech.google_server import SpeechServer, recognize_response, silence

STANDIN = Path(__file__).with_name("standin.py")


def standin(fmt: str, out: bool = False) -> str:
    return f"{sys.executable} {STANDIN} --format {fmt} --language {{language}}" + \
        (" --out {output}" if out else "") + " {audio}"


def google(server, **kwargs) -> GoogleTranscriber:
    return GoogleTranscriber(endpoint=server.endpoint, credentials=AnonymousCredentials(),
                             retry_seconds=0, **kwargs)


# --- cutting and offsets -----------------------------------------------------------------

def test_a_wav_is_cut_into_pieces_at_exact_sample_offsets(tmp_path):
    pieces = audio.cut_wav(silence(tmp_path / "a.wav", 130), tmp_path, 55)
    assert [(p.offset, p.seconds) for p in pieces] == [(0, 55), (55, 55), (110, 20)]
    assert all(audio.is_speech_wav(p.path) for p in pieces)
    assert audio.wav_seconds(pieces[2].path) == 20


def test_piece_offsets_are_added_to_each_pieces_times(tmp_path):
    class Fixed:
        name, max_piece_seconds = "fixed", 30.0

        def transcribe(self, path, language="ka"):
            return Transcript([Segment(1.5, 4.0, "  სიტყვა   ერთი "), Segment(5, 6, " ")], 30)

    result = transcribe_file(Fixed(), silence(tmp_path / "a.wav", 70), tmp_path)
    assert result.pieces == 3 and result.audio_seconds == 70 and result.billed_seconds == 90
    assert [(s.start_s, s.end_s, s.text) for s in result.segments] == [
        (1.5, 4.0, "სიტყვა ერთი"), (31.5, 34.0, "სიტყვა ერთი"), (61.5, 64.0, "სიტყვა ერთი")]


def test_a_file_that_is_not_audio_is_refused(tmp_path):
    bad = tmp_path / "x.wav"
    bad.write_bytes(b"not a wave file")
    with pytest.raises(SpeechError) as refused:
        audio.cut_wav(bad, tmp_path, 55)
    assert refused.value.reason == "audio"


def test_other_audio_needs_ffmpeg(tmp_path, monkeypatch):
    monkeypatch.setattr(audio.shutil, "which", lambda name: None)
    stereo = tmp_path / "s.wav"
    silence(stereo, 1, rate=44_100)
    with pytest.raises(SpeechError, match="ffmpeg"):
        audio.to_speech_wav(stereo, tmp_path)
    assert audio.to_speech_wav(silence(tmp_path / "ok.wav", 1), tmp_path) == tmp_path / "ok.wav"


# --- Google Cloud Speech-to-Text ---------------------------------------------------------

def test_google_recognizes_each_piece_in_georgian_with_word_times(tmp_path):
    with SpeechServer() as server:
        result = transcribe_file(google(server), silence(tmp_path / "a.wav", 130), tmp_path)
    assert [r["path"].split("?")[0] for r in server.requests] == ["/v1/speech:recognize"] * 3
    config = server.requests[0]["body"]["config"]
    assert config["languageCode"] == "ka-GE" and config["sampleRateHertz"] == 16000
    assert config["enableWordTimeOffsets"] is True and config["encoding"] in (1, "LINEAR16")
    assert result.pieces == 3 and result.billed_seconds == 130
    starts = [(s.start_s, s.end_s, s.text) for s in result.segments]
    assert starts[0] == (0.4, 27.5, "ნაწილი 1 მალთაყვის სანაპირო")
    assert starts[2] == (55.4, 82.5, "ნაწილი 2 მალთაყვის სანაპირო")  # offset of piece 2
    assert starts[-1] == (120.0, 129.8, "ფოთის ბიუჯეტი 3")


def test_google_results_without_words_follow_the_previous_line(tmp_path):
    answer = recognize_response([(2.0, 5.0, "პირველი")], billed=15)
    answer["results"].append({"alternatives": [{"transcript": "მეორე"}],
                              "resultEndTime": "9.250s", "languageCode": "ka-ge"})
    answer["results"].append({"alternatives": [], "resultEndTime": "10s"})
    with SpeechServer(lambda body, seconds, n: (200, answer)) as server:
        found = google(server).transcribe(silence(tmp_path / "a.wav", 10))
    assert found.billed_seconds == 15
    assert [(s.start_s, s.end_s, s.text) for s in found.segments] == [
        (2.0, 5.0, "პირველი"), (5.0, 9.25, "მეორე")]


@pytest.mark.parametrize(("code", "reason"), [(400, "client"), (403, "client"),
                                              (429, "client"), (500, "server")])
def test_google_errors_say_whose_side_failed(tmp_path, code, reason):
    with SpeechServer(SpeechServer.error(code, "Request had insufficient quota.")) as server:
        with pytest.raises(SpeechError) as failed:
            transcribe_file(google(server), silence(tmp_path / "a.wav", 70), tmp_path)
    assert (failed.value.reason, failed.value.status) == (reason, code)
    assert "insufficient quota" in failed.value.detail
    assert len(server.requests) == 1  # stopped at the first piece


def test_google_retries_a_busy_service_then_gives_up(tmp_path):
    with SpeechServer(SpeechServer.error(503, "The service is currently unavailable.")) as server:
        engine = GoogleTranscriber(endpoint=server.endpoint, credentials=AnonymousCredentials(),
                                   retry_seconds=1.5)
        with pytest.raises(SpeechError) as failed:
            engine.transcribe(silence(tmp_path / "a.wav", 3))
    assert (failed.value.reason, failed.value.status) == ("server", 503)
    assert len(server.requests) >= 2


def test_an_unreachable_service_is_a_server_failure(tmp_path):
    with SpeechServer() as server:
        endpoint = server.endpoint
    engine = GoogleTranscriber(endpoint=endpoint, credentials=AnonymousCredentials(),
                               retry_seconds=0, timeout=5)
    with pytest.raises(SpeechError) as failed:
        engine.transcribe(silence(tmp_path / "a.wav", 1))
    assert failed.value.reason == "server"


# --- a local command ----------------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "out"), [("json", False), ("whisper-cpp", True),
                                          ("vtt", False), ("srt", True), ("vtt", True)])
def test_the_command_output_is_read_in_each_format(tmp_path, fmt, out):
    engine = CommandTranscriber(standin(fmt, out))
    found = engine.transcribe(silence(tmp_path / "a.wav", 25))
    assert [(s.start_s, s.end_s, s.text) for s in found.segments] == [
        (0, 10, "მალთაყვის სანაპიროს 1"), (10, 20, "ბიუჯეტის ცვლილება 2"),
        (20, 25, "ფოთის პორტი 3")]
    assert found.billed_seconds == 0


def test_a_command_cuts_pieces_only_when_told(tmp_path):
    whole = transcribe_file(CommandTranscriber(standin("json")), silence(tmp_path / "a.wav", 25),
                            tmp_path)
    assert whole.pieces == 1
    cut = transcribe_file(CommandTranscriber(standin("json"), piece_seconds=15),
                          silence(tmp_path / "b.wav", 25), tmp_path)
    assert cut.pieces == 2
    assert [(s.start_s, s.text) for s in cut.segments] == [
        (0, "მალთაყვის სანაპიროს 1"), (10, "ბიუჯეტის ცვლილება 2"), (15, "მალთაყვის სანაპიროს 1")]


@pytest.mark.parametrize(("template", "words"), [
    (standin("fail"), "exit status 3: model file not found"),
    (standin("garbage"), "unreadable output"),
    ("/no/such/whisper {audio}", "No such file"),
    ("whisper {audio} {model}", "bad command template"),
])
def test_a_failing_command_is_a_command_failure(tmp_path, template, words):
    with pytest.raises(SpeechError) as failed:
        CommandTranscriber(template).transcribe(silence(tmp_path / "a.wav", 3))
    assert failed.value.reason == "command" and words in str(failed.value)


def test_a_command_that_runs_too_long_is_stopped(tmp_path):
    engine = CommandTranscriber(f"{sys.executable} -c 'import time; time.sleep(5)'",
                                timeout=0.5)
    with pytest.raises(SpeechError, match="timed out"):
        engine.transcribe(silence(tmp_path / "a.wav", 1))


def test_read_output_takes_a_plain_segment_list():
    assert read_output(b'[{"start": 1, "end": 2.5, "text": " a "}]') == [Segment(1, 2.5, "a")]
    assert read_output(b"") == []
    with pytest.raises(SpeechError):
        read_output(b'{"segments": [{"start": "x"}]}', "json")


# --- settings ----------------------------------------------------------------------------

def test_speech_to_text_is_off_unless_a_backend_is_named():
    assert configured_transcriber({}) is None
    assert configured_transcriber({"ARCHIVE_SPEECH_BACKEND": "command"}) is None  # no command
    engine = configured_transcriber({"ARCHIVE_SPEECH_BACKEND": "command",
                                     "ARCHIVE_SPEECH_COMMAND": "whisper {audio}"})
    assert engine.name == "command" and engine.max_piece_seconds is None
    engine = configured_transcriber({"ARCHIVE_SPEECH_BACKEND": "Google"})
    assert engine.name == "google" and engine.max_piece_seconds == 55
