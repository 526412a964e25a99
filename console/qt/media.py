"""Media set-up shared by the video wall: FFmpeg's own console chatter.

QtMultimedia's FFmpeg backend leaves libav logging at its default (INFO), so every
HLS playlist refresh prints lines like ``[hls @ 0x…] Skip ('#EXT-X-VERSION:3')`` on
stderr, dozens per second with a full wall. Qt only routes libav logs itself when
QT_FFMPEG_DEBUG is set; otherwise we lower libav's level to errors here.
"""

from __future__ import annotations

import ctypes
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

AV_LOG_ERROR = 16


def avutil() -> ctypes.CDLL:
    """The libavutil that QtMultimedia's FFmpeg backend uses (PySide6 ships it).

    It links against Qt's OpenSSL stubs, which must be loaded globally first.
    """
    import PySide6

    libdir = Path(PySide6.__file__).resolve().parent / "Qt" / "lib"
    for stub in sorted(libdir.glob("libQt6FFmpegStub-*.so*")):
        ctypes.CDLL(str(stub), mode=ctypes.RTLD_GLOBAL)
    candidates = sorted(libdir.glob("libavutil.so.*")) or sorted(libdir.glob("avutil*.dll"))
    return ctypes.CDLL(str(candidates[0]) if candidates else "libavutil.so.59")


def quiet_libav() -> bool:
    """Set libav's log level to errors; True when done. Safe to call more than once."""
    if os.environ.get("QT_FFMPEG_DEBUG"):
        return False
    try:
        import PySide6

        lib = avutil()
        lib.av_log_set_level(AV_LOG_ERROR)
        return True
    except (OSError, IndexError, AttributeError) as exc:
        log.debug("libav log level not set: %s", exc)
        return False
