"""The camera tree beside the video wall: cameras grouped by grid or by source.

A small two-level model over plain camera dicts (cameras number in the hundreds per
street, so they are held in memory; rows change in place when the journal reports a
camera). A search box filters by name, id or group. Cameras can be dragged onto a
tile (``CAMERA_MIME``) or double-clicked to play on the next free tile.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from widgets.camera_tile import CAMERA_MIME, camera_mime

CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_NO_PARENT = 0xFFFFFFFF


def _dot(colour: str) -> QIcon:
    pm = QPixmap(12, 12)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(colour))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(1, 1, 10, 10)
    p.end()
    return QIcon(pm)


class CameraTreeModel(QAbstractItemModel):
    """Groups (grid or source) at the top level, cameras beneath."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.group_by = "grid"
        self._cameras: dict[str, dict[str, Any]] = {}
        self._grid_names: dict[str, str] = {}
        self._groups: list[str] = []
        self._members: dict[str, list[str]] = {}
        self._icons: dict[bool, QIcon] = {}

    # -- data in -------------------------------------------------------------------
    def set_cameras(self, cameras: list[dict[str, Any]], grid_names: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self._cameras = {c["id"]: dict(c) for c in cameras}
        if grid_names is not None:
            self._grid_names = dict(grid_names)
        self._regroup()
        self.endResetModel()

    def set_group_by(self, key: str) -> None:
        self.beginResetModel()
        self.group_by = key
        self._regroup()
        self.endResetModel()

    def update_cameras(self, rows: dict[str, dict[str, Any] | None]) -> None:
        """Rows changed (None: deleted). Regroups only if membership changed."""
        regroup = False
        for cid, row in rows.items():
            old = self._cameras.get(cid)
            if row is None:
                regroup |= old is not None
                self._cameras.pop(cid, None)
            else:
                regroup |= old is None or self._group_of(old) != self._group_of(row)
                self._cameras[cid] = dict(row)
        if regroup:
            self.beginResetModel()
            self._regroup()
            self.endResetModel()
            return
        for cid in rows:
            idx = self.index_of(cid)
            if idx.isValid():
                self.dataChanged.emit(idx, idx.siblingAtColumn(0))

    def camera(self, cid: str) -> dict[str, Any] | None:
        return self._cameras.get(cid)

    def cameras(self) -> list[dict[str, Any]]:
        return [self._cameras[c] for g in self._groups for c in self._members[g]]

    def group_keys(self) -> list[str]:
        return list(self._groups)

    def group_label(self, key: str) -> str:
        if self.group_by == "grid":
            return self._grid_names.get(key, key) if key else self.tr("(no grid)")
        return {"street": self.tr("Street"), "police": self.tr("Police"),
                "property": self.tr("Property"), "construction": self.tr("Construction site"),
                }.get(key, key or self.tr("(other)"))

    def members(self, key: str) -> list[dict[str, Any]]:
        return [self._cameras[c] for c in self._members.get(key, [])]

    def _group_of(self, cam: dict[str, Any]) -> str:
        return (cam.get("grid_id") if self.group_by == "grid" else cam.get("source")) or ""

    def _regroup(self) -> None:
        members: dict[str, list[str]] = {}
        for cam in sorted(self._cameras.values(), key=lambda c: (c.get("name") or "", c["id"])):
            members.setdefault(self._group_of(cam), []).append(cam["id"])
        self._groups = sorted(members)
        self._members = members

    def index_of(self, cid: str) -> QModelIndex:
        cam = self._cameras.get(cid)
        if cam is None:
            return QModelIndex()
        g = self._group_of(cam)
        try:
            gi = self._groups.index(g)
            row = self._members[g].index(cid)
        except (ValueError, KeyError):
            return QModelIndex()
        return self.createIndex(row, 0, gi)

    # -- Qt model --------------------------------------------------------------------
    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _NO_PARENT) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != _NO_PARENT:
            return QModelIndex()
        g = self._groups[parent.row()]
        return self.createIndex(row, 0, parent.row()) if row < len(self._members[g]) else QModelIndex()

    def parent(self, index=QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _NO_PARENT:
            return QModelIndex()
        return self.createIndex(int(index.internalId()), 0, _NO_PARENT)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _NO_PARENT:
            return len(self._members[self._groups[parent.row()]])
        return 0

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 1

    def _cam_at(self, index: QModelIndex) -> dict[str, Any] | None:
        if not index.isValid() or index.internalId() == _NO_PARENT:
            return None
        g = self._groups[int(index.internalId())]
        return self._cameras[self._members[g][index.row()]]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cam = self._cam_at(index)
        if cam is None:
            key = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                mem = self.members(key)
                on = sum(1 for c in mem if c.get("online"))
                return f"{self.group_label(key)} ({on}/{len(mem)})"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cam.get("name") or cam["id"]
        if role == Qt.ItemDataRole.DecorationRole:
            online = bool(cam.get("online"))
            if online not in self._icons:
                self._icons[online] = _dot("#3cb371" if online else "#8a8f98")
            return self._icons[online]
        if role == Qt.ItemDataRole.ToolTipRole:
            state = self.tr("online") if cam.get("online") else self.tr("offline")
            return f"{cam['id']} · {state}"
        if role == CAMERA_ID_ROLE:
            return cam["id"]
        if role == Qt.ItemDataRole.UserRole + 2:  # search text
            return f"{cam.get('name', '')} {cam['id']} {self.group_label(self._group_of(cam))}"
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._cam_at(index) is not None:
            f |= Qt.ItemFlag.ItemIsDragEnabled
        return f

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [CAMERA_MIME]

    def mimeData(self, indexes) -> Any:  # noqa: N802
        for idx in indexes:
            cam = self._cam_at(idx)
            if cam is not None:
                return camera_mime(cam["id"])
        return None

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction


class _Filter(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterRole(Qt.ItemDataRole.UserRole + 2)


class CameraTree(QWidget):
    """Search box, grouping choice and the tree."""

    #: camera_id — the officer double-clicked a camera (play it on the next free tile)
    sig_camera_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CameraTreeModel(self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search cameras"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_changed)
        self.group_combo = QComboBox(self)
        self.group_combo.addItem(self.tr("By grid"), "grid")
        self.group_combo.addItem(self.tr("By source"), "source")
        self.group_combo.currentIndexChanged.connect(self._on_group_changed)

        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.doubleClicked.connect(self._on_view_double_clicked)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 1)
        top.addWidget(self.group_combo)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)

    def set_cameras(self, cameras: list[dict[str, Any]], grid_names: dict[str, str] | None = None) -> None:
        self.model.set_cameras(cameras, grid_names)
        self.view.expandAll()

    def visible_camera_ids(self) -> list[str]:
        out = []
        for g in range(self.proxy.rowCount()):
            gi = self.proxy.index(g, 0)
            for r in range(self.proxy.rowCount(gi)):
                out.append(self.proxy.index(r, 0, gi).data(CAMERA_ID_ROLE))
        return out

    def _on_search_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.view.expandAll()

    def _on_group_changed(self, _i: int) -> None:
        self.model.set_group_by(self.group_combo.currentData())
        self.view.expandAll()

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        cid = index.data(CAMERA_ID_ROLE)
        if cid:
            self.sig_camera_activated.emit(cid)


__all__ = ["CameraTree", "CameraTreeModel", "CAMERA_ID_ROLE"]
