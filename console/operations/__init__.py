"""Officer actions: one small function per verb (Anki's aqt/operations pattern).

Each function records the action and its outbox entry in ONE store transaction and
returns the new state, or raises ``lifecycle.TransitionError`` with nothing written.
Qt-free: panels run them through ``ctx.run_action`` on the writer thread.
"""

from console.operations._common import TicketNotFound

__all__ = ["TicketNotFound"]
