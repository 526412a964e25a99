"""Rules a category carries as data from the platform's catalogue.

The street's grid-centre plan allows 自行处置 (an officer or grid inspector handles it on the
spot) only for simple problems: "乱张贴、零星暴露垃圾等…当场处置完成的简单问题". Which
categories are simple is not decided at the desk: the platform marks them in its category
catalogue (``simple`` on the ``category`` entity) and the desk obeys the mark. The operation
that self-handles a ticket asks ``check_self_handle``; the platform asks the same function
before it applies the verb, so both refuse the same tickets with the same message.
"""

from __future__ import annotations

from console.domain.lifecycle import TransitionError

#: The plan's words for what may be self-handled (shown with a refusal).
SIMPLE_MEANING = "乱张贴、零星暴露垃圾等当场可处置完成的简单问题"


def self_handle_refusal(category_name: str, simple: bool | None) -> TransitionError | None:
    """Why a ticket of this category may not be self-handled, or None when it may.

    ``simple`` is the catalogue's mark; None means the catalogue has not reached this desk
    yet: the desk does not guess and leaves the decision to the platform, which always knows.
    """
    if simple is None or simple:
        return None
    name = category_name or "该类别"
    return TransitionError(
        "invalid_param",
        f"“{name}”不属于简单问题，不能自行处置；自行处置仅限{SIMPLE_MEANING}，请立案派遣处置部门")


def check_self_handle(category_name: str, simple: bool | None) -> None:
    """Raise the refusal of ``self_handle_refusal`` (nothing is changed)."""
    if (refusal := self_handle_refusal(category_name, simple)) is not None:
        raise refusal


#: The plan's words for what is put under key supervision from intake (重点监管).
DANGEROUS_MEANING = "井盖缺失、架空线坠落等存在较大安全隐患的问题"


def at_intake(ticket, dangerous: bool | None):
    """The new ticket as intake must store it: a ticket of a category the catalogue marks
    dangerous starts under 重点监管 (``key_supervision``). ``dangerous`` None (the catalogue
    has not reached this desk) leaves the ticket as it is; the platform, which always knows,
    applies the same rule when it takes the ticket in."""
    if dangerous and not ticket.key_supervision:
        return ticket.replace(key_supervision=True)
    return ticket
