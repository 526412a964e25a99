"""Sync with the district platform, Qt-free (issue "Sync and offline continuity").

- ``client.PlatformClient``: the HTTP contract (docs/CONTRACT.md) with typed errors
  (``LinkDown``, ``ResyncRequired``, ``AuthError``, ``BadResponse``, ``RequestRejected``);
- ``linkstate.LinkMonitor``: online / degraded / offline, outages;
- ``puller.Puller``: change feed -> ``localdb.feed.apply_changes`` (cursor in the
  same transaction), bootstrap in pages, resync on 410 keeping the outbox;
- ``pusher.Pusher``: outbox -> ``POST /commands`` in order, idempotency keys,
  back-off with full jitter woken by events;
- ``attachments.AttachmentUploader``: resumable uploads of local photos;
- ``engine.SyncEngine``: the daemon threads and the callbacks for the Qt glue;
- ``proxy.FaultProxy`` and ``chaos`` (``python -m console.sync.chaos``): fault
  injection and the exactly-once harness.
"""
