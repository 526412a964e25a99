"""Video wall layouts and the wall's saved state.

A layout is a list of cells ``(row, column, row_span, column_span)`` on a square
grid; the first cell of the "1 + N" layouts is the big one. The wall's state
(layout, which camera sits in which slot, patrol interval) is window layout rather
than a setting, so it lives in the data directory's ``layout.ini`` beside the dock
geometry (``console.paths.Paths.layout``), under the ``video_wall`` group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings

Cell = tuple[int, int, int, int]


def _square(n: int) -> list[Cell]:
    return [(r, c, 1, 1) for r in range(n) for c in range(n)]


LAYOUTS: dict[str, list[Cell]] = {
    "1": [(0, 0, 1, 1)],
    "2x2": _square(2),
    "3x3": _square(3),
    "4x4": _square(4),
    "1+5": [(0, 0, 2, 2), (0, 2, 1, 1), (1, 2, 1, 1), (2, 0, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1)],
    "1+7": [(0, 0, 3, 3), (0, 3, 1, 1), (1, 3, 1, 1), (2, 3, 1, 1),
            (3, 0, 1, 1), (3, 1, 1, 1), (3, 2, 1, 1), (3, 3, 1, 1)],
}
LAYOUT_ORDER = ("1", "2x2", "3x3", "4x4", "1+5", "1+7")
MAX_TILES = max(len(c) for c in LAYOUTS.values())
DEFAULT_LAYOUT = "2x2"


def layout_title(name: str) -> str:
    titles = {
        "1": QCoreApplication.translate("VideoWallPanel", "1 tile"),
        "2x2": QCoreApplication.translate("VideoWallPanel", "2 × 2"),
        "3x3": QCoreApplication.translate("VideoWallPanel", "3 × 3"),
        "4x4": QCoreApplication.translate("VideoWallPanel", "4 × 4"),
        "1+5": QCoreApplication.translate("VideoWallPanel", "1 big + 5"),
        "1+7": QCoreApplication.translate("VideoWallPanel", "1 big + 7"),
    }
    return titles.get(name, name)


def is_big_cell(name: str, slot: int) -> bool:
    """The big cell of a "1 + N" layout, or the single tile."""
    cell = LAYOUTS[name][slot]
    return cell[2] > 1 or len(LAYOUTS[name]) == 1


# Keys of the saved state, declared once.
_GROUP = "video_wall"
_K_LAYOUT = "layout"
_K_SLOTS = "slots"
_K_PATROL_S = "patrol_seconds"
_K_DETACHED = "detached"
_K_GEOMETRY = "detached_geometry"
_K_BEFORE = "before_emergency"


@dataclass
class WallState:
    layout: str = DEFAULT_LAYOUT
    slots: list[str] = field(default_factory=lambda: [""] * MAX_TILES)  # camera id per slot
    patrol_seconds: int = 30
    detached: bool = False
    detached_geometry: bytes = b""
    #: JSON {"emergency", "layout", "slots", "patrolling"}: the officer's wall before an
    #: emergency's plan changed it, kept on disk so a restart mid-emergency still goes back
    before_emergency: str = ""

    @classmethod
    def load(cls, path: Path, patrol_default: int = 30) -> "WallState":
        q = QSettings(str(path), QSettings.Format.IniFormat)
        q.beginGroup(_GROUP)
        st = cls(patrol_seconds=patrol_default)
        layout = str(q.value(_K_LAYOUT, DEFAULT_LAYOUT))
        st.layout = layout if layout in LAYOUTS else DEFAULT_LAYOUT
        slots = q.value(_K_SLOTS, [])
        if isinstance(slots, str):  # QSettings returns a one-element list as a string
            slots = [slots]
        slots = [str(s) for s in (slots or [])][:MAX_TILES]
        st.slots = slots + [""] * (MAX_TILES - len(slots))
        try:
            st.patrol_seconds = max(5, int(q.value(_K_PATROL_S, patrol_default)))
        except (TypeError, ValueError):
            pass
        st.detached = str(q.value(_K_DETACHED, "false")).lower() == "true"
        geo = q.value(_K_GEOMETRY, b"")
        st.detached_geometry = bytes(geo) if geo else b""
        st.before_emergency = str(q.value(_K_BEFORE, "") or "")
        q.endGroup()
        return st

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        q = QSettings(str(path), QSettings.Format.IniFormat)
        q.beginGroup(_GROUP)
        q.setValue(_K_LAYOUT, self.layout)
        q.setValue(_K_SLOTS, list(self.slots))
        q.setValue(_K_PATROL_S, int(self.patrol_seconds))
        q.setValue(_K_DETACHED, "true" if self.detached else "false")
        q.setValue(_K_GEOMETRY, self.detached_geometry)
        q.setValue(_K_BEFORE, self.before_emergency)
        q.endGroup()
        q.sync()
