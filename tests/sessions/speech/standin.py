#!/usr/bin/env python3
"""A stand-in for a local speech-to-text program (whisper.cpp, faster-whisper): reads the
WAV it is given and prints a deterministic transcript, one line per 10 seconds of audio, in
the format asked for. Used by the tests and the demo; no model, no network.

    standin.py --format json|whisper-cpp|vtt|srt|fail|garbage [--out PREFIX] AUDIO
"""

import argparse
import json
import sys
import wave

WORDS = ("მალთაყვის სანაპიროს", "ბიუჯეტის ცვლილება", "ფოთის პორტი", "ახალი სკვერი",
         "წყალმომარაგება", "საკრებულოს სხდომა")


def lines(seconds: float):
    start = 0.0
    n = 0
    while start < seconds:
        end = min(start + 10.0, seconds)
        yield start, end, f"{WORDS[n % len(WORDS)]} {n + 1}"
        start, n = end, n + 1


def stamp(seconds: float, comma=False) -> str:
    h, rest = divmod(int(seconds * 1000), 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{',' if comma else '.'}{ms:03d}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", default="json")
    parser.add_argument("--out")
    parser.add_argument("--language", default="ka")
    parser.add_argument("audio")
    args = parser.parse_args()
    if args.format == "fail":
        print("model file not found", file=sys.stderr)
        return 3
    with wave.open(args.audio, "rb") as wav:
        seconds = wav.getnframes() / wav.getframerate()
    found = list(lines(seconds))
    if args.format == "garbage":
        text = "this is not a transcript"
    elif args.format == "whisper-cpp":
        text = json.dumps({"result": {"language": args.language}, "transcription": [
            {"timestamps": {"from": stamp(a, True), "to": stamp(b, True)},
             "offsets": {"from": int(a * 1000), "to": int(b * 1000)}, "text": f" {t}"}
            for a, b, t in found]}, ensure_ascii=False)
    elif args.format == "vtt":
        text = "WEBVTT\n\n" + "\n".join(f"{stamp(a)} --> {stamp(b)}\n{t}\n" for a, b, t in found)
    elif args.format == "srt":
        text = "\n".join(f"{i}\n{stamp(a, True)} --> {stamp(b, True)}\n{t}\n"
                         for i, (a, b, t) in enumerate(found, 1))
    else:
        text = json.dumps({"language": args.language, "segments": [
            {"id": i, "start": a, "end": b, "text": t} for i, (a, b, t) in enumerate(found)]},
            ensure_ascii=False)
    if args.out:
        suffix = {"whisper-cpp": ".json", "json": ".json", "vtt": ".vtt", "srt": ".srt"}
        with open(args.out + suffix.get(args.format, ".txt"), "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
