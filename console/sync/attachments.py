"""Upload queue for photos and snapshots kept in the local store.

Rows of the ``attachments`` table in state ``pending``/``uploading`` are sent with
the client's resumable upload (HEAD for the offset, PUT from there). The offset
reached is saved as the upload goes, so a restart (or a kill) resumes where the
platform says it stands. Permanent refusals (too large, hash mismatch, file gone)
mark the row ``failed`` with nothing retried in a loop.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from console.sync.client import LinkDown, PlatformClient, RequestRejected

from localdb import attachments as rows

if TYPE_CHECKING:
    from localdb.store import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class UploadStats:
    uploaded: int = 0
    bytes_sent: int = 0
    failed: int = 0


class AttachmentUploader:
    def __init__(self, store: Store, client: PlatformClient,
                 on_progress: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.store, self.client, self.on_progress = store, client, on_progress
        self.stats = UploadStats()
        self._lock = threading.Lock()

    def pending(self) -> list[tuple[str, str, int, str]]:
        with self.store.session() as s:
            return rows.pending(s)

    def depth(self) -> int:
        with self.store.session() as s:
            return rows.depth(s)

    def _set(self, sha: str, state: str, offset: int | None = None) -> None:
        with self.store.write() as s:
            rows.set_state(s, sha, state, offset)

    def upload_all(self, stop: threading.Event | None = None) -> int:
        """Upload everything queued; returns files completed. Raises ``LinkDown``."""
        done = 0
        with self._lock:
            for sha, path, size, ctype in self.pending():
                if stop and stop.is_set():
                    break
                if not os.path.exists(path):
                    log.error("attachment %s: local file missing", sha[:12])
                    self._set(sha, "failed")
                    self.stats.failed += 1
                    continue
                last_saved = [0]

                def progress(sent: int, total: int, sha: str = sha) -> None:
                    # save the offset every MiB so a restart resumes near here
                    if sent - last_saved[0] >= 1 << 20 or sent >= total:
                        last_saved[0] = sent
                        self._set(sha, "uploading", sent)
                    if self.on_progress:
                        try:
                            self.on_progress({"kind": "attachment", "sha256": sha, "sent": sent, "total": total})
                        except Exception:  # noqa: BLE001
                            log.exception("progress listener failed")

                self._set(sha, "uploading")
                try:
                    n = self.client.upload_attachment(sha, path, progress, content_type=ctype)
                except RequestRejected as exc:
                    log.error("attachment %s refused by the platform: %s", sha[:12], exc.code)
                    self._set(sha, "failed")
                    self.stats.failed += 1
                    continue
                except LinkDown:
                    raise
                self._set(sha, "done", n)
                self.stats.uploaded += 1
                self.stats.bytes_sent += n
                done += 1
        return done
