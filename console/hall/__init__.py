"""Hall mode: every desk of a duty hall on one PostgreSQL database (Qt-free).

``pgcluster`` runs a private PostgreSQL cluster (tests, ``make hall-demo``);
``holder`` elects the one process that syncs with the district (advisory lock).
"""
