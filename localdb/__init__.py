"""Local store of the duty console: SQLite through SQLAlchemy, Qt-free.

See docs/INTERFACES.md ("localdb"). Entry points: ``Store.open(path)``,
``localdb.repo`` (reads), ``localdb.feed`` (platform changes), ``localdb.outbox``
(officer commands waiting for the platform), ``localdb.journal`` (what changed).
"""

from localdb.store import Store, StoreError

__all__ = ["Store", "StoreError"]
