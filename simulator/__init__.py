"""duty-platform-sim: the district city-operations platform (区城运平台) simulator.

The contract it serves is docs/CONTRACT.md. Start with ``duty-platform-sim`` (cli),
or in tests with ``simulator.testing.running_simulator``. Tickets change only through
``console.domain.lifecycle``, the same rules the console applies.
"""
