"""FFmpeg's per-segment chatter must not flood a workstation's console."""

from console.qt.media import AV_LOG_ERROR, avutil, quiet_libav


def _avutil():
    return avutil()


def test_quiet_libav_lowers_the_level_to_errors(monkeypatch):
    monkeypatch.delenv("QT_FFMPEG_DEBUG", raising=False)
    lib = _avutil()
    lib.av_log_set_level(32)  # libav's default, INFO
    assert quiet_libav() is True
    assert lib.av_log_get_level() == AV_LOG_ERROR


def test_qt_ffmpeg_debug_keeps_libav_verbose(monkeypatch):
    monkeypatch.setenv("QT_FFMPEG_DEBUG", "1")
    lib = _avutil()
    lib.av_log_set_level(32)
    assert quiet_libav() is False
    assert lib.av_log_get_level() == 32
