"""Short alert sounds, generated with the standard ``wave`` module.

The WAVs are bundled in ``resources/sounds``; if one is missing (a trimmed
install) it is generated again into the cache, so a sound never fails to load.
``python -m console.qt.sounds`` rewrites the bundled files.
"""

from __future__ import annotations

import logging
import math
import struct
import wave
from pathlib import Path

from console.paths import SOUNDS_DIR

log = logging.getLogger(__name__)

RATE = 48000  # stereo 16-bit 48 kHz: the format every audio device accepts

#: name -> list of (frequency Hz, duration s); 0 Hz is a pause
TUNES: dict[str, list[tuple[float, float]]] = {
    "link_down": [(880.0, 0.18), (0.0, 0.05), (660.0, 0.18), (0.0, 0.05), (440.0, 0.30)],
    "link_up": [(523.25, 0.12), (0.0, 0.03), (659.25, 0.12), (0.0, 0.03), (783.99, 0.22)],
    "notice": [(987.77, 0.10), (0.0, 0.04), (987.77, 0.10)],
}


def write_tune(path: Path, notes: list[tuple[float, float]], volume: float = 0.45) -> None:
    frames = bytearray()
    for freq, dur in notes:
        n = int(RATE * dur)
        for i in range(n):
            if freq <= 0:
                sample = 0.0
            else:
                env = min(1.0, i / (RATE * 0.01), (n - i) / (RATE * 0.02))  # no clicks
                sample = volume * env * math.sin(2 * math.pi * freq * i / RATE)
            v = int(sample * 32767)
            frames += struct.pack("<hh", v, v)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))


def sound_path(name: str, cache_dir: Path | None = None) -> Path:
    bundled = SOUNDS_DIR / f"{name}.wav"
    if bundled.exists():
        return bundled
    target = (cache_dir or Path.home() / ".cache" / "duty-console") / "sounds" / f"{name}.wav"
    if not target.exists():
        log.info("generating missing sound %s", target)
        write_tune(target, TUNES[name])
    return target


if __name__ == "__main__":
    for name, notes in TUNES.items():
        write_tune(SOUNDS_DIR / f"{name}.wav", notes)
        print(SOUNDS_DIR / f"{name}.wav")
