#!/usr/bin/env bash
# Install Debian's ffmpeg for the archive's machine transcripts when it is missing: the
# speech-to-text job turns the audio yt-dlp downloads into 16 kHz mono WAV with it. Only a
# server with ARCHIVE_SPEECH_BACKEND set needs it; the tests use WAV files and do not.
set -euo pipefail
if command -v ffmpeg >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "ffmpeg is missing: run 'sudo apt-get install ffmpeg' and try again." >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null
