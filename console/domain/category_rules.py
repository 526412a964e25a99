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


def closure_refusal(category_name: str, standard: list[str] | tuple[str, ...] | None,
                    passed: bool, checked: list[str] | None) -> TransitionError | None:
    """Why a 核查 may not pass: the catalogue's closure standard of the category (结案标准,
    what verification must confirm) has items not ticked, or an item ticked is not one of them.

    ``standard`` None (the catalogue has not reached this desk) leaves it to the platform; a
    failed verification (back to the department) needs no ticks. Closing follows a passed
    verification only, so a ticket never closes without its standard ticked.
    """
    if standard is None or not passed:
        return None
    ticked = list(checked or [])
    name = category_name or "该类别"
    if stray := [c for c in ticked if c not in standard]:
        return TransitionError("invalid_param", f"“{'、'.join(stray)}”不是“{name}”的结案标准")
    if missing := [c for c in standard if c not in ticked]:
        return TransitionError(
            "invalid_param", f"“{name}”的结案标准尚未逐项确认：{'、'.join(missing)}；全部勾选后才能核查通过")
    return None


def check_closure(category_name: str, standard, passed: bool, checked) -> None:
    """Raise the refusal of ``closure_refusal`` (nothing is changed)."""
    if (refusal := closure_refusal(category_name, standard, passed, checked)) is not None:
        raise refusal
