"""What the officer reads when a PIN check refuses (one text per refusal code)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate looks for this name
    return text


_TEXTS = {
    "empty": QT_TRANSLATE_NOOP("AuthMessages", "Enter your PIN."),
    "not_digits": QT_TRANSLATE_NOOP("AuthMessages", "A PIN has digits only."),
    "length": QT_TRANSLATE_NOOP("AuthMessages", "A PIN has 4 to 12 digits."),
    "unknown_user": QT_TRANSLATE_NOOP("AuthMessages", "Wrong user ID or PIN."),
    "wrong_pin": QT_TRANSLATE_NOOP("AuthMessages", "Wrong user ID or PIN."),
    "disabled": QT_TRANSLATE_NOOP("AuthMessages", "This account has been disabled by the district platform."),
    "locked": QT_TRANSLATE_NOOP("AuthMessages", "Too many wrong PINs: the account is locked at this desk "
                                                "for %1 min. A shift leader can unlock it."),
    "corrupt_verifier": QT_TRANSLATE_NOOP("AuthMessages", "The stored PIN check for this account is damaged: "
                                                          "log in while the platform is reachable to renew it."),
    "no_verifier": QT_TRANSLATE_NOOP("AuthMessages", "This account has not logged in at this desk before: "
                                                     "log in while the platform is reachable."),
    "forbidden": QT_TRANSLATE_NOOP("AuthMessages", "Only a shift leader may do this."),
}
_OTHER = QT_TRANSLATE_NOOP("AuthMessages", "The PIN could not be checked.")


def refusal_text(exc: Exception) -> str:
    """The message for a ``console.operations.auth.AuthRefused``."""
    code = getattr(exc, "code", "")
    text = QCoreApplication.translate("AuthMessages", _TEXTS.get(code, _OTHER))
    if code == "locked":
        text = text.replace("%1", str(int(getattr(exc, "remaining_s", 0) // 60) + 1))
    return text
