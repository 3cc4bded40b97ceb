"""The password policy for hub accounts: at least 12 characters, and not easy to guess.

"Easy to guess" is zxcvbn's estimate (Dropbox's strength estimator: common-password lists,
English words, names, keyboard patterns, repeats, dates, l33t substitutions), scored 0-4; a
password scoring below 3 (fewer than ~10^8 guesses) is refused with zxcvbn's own hint.
The account's email and name count as words an attacker would try first.
"""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 1024  # argon2 takes any length; this only bounds the work a request can cause
MIN_SCORE = 3
# zxcvbn refuses more than 72 characters (its matching grows quickly with length): the first
# 72 decide, which for a longer passphrase is plenty.
_ESTIMATED = 72

POLICY = (
    f"at least {MIN_LENGTH} characters, not a common password or an easily guessed pattern; "
    "a few unrelated words make a good one"
)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why `password` may not be used for this account, or None when it may."""
    if not password:
        return "the password is empty"
    if len(password) < MIN_LENGTH:
        return (
            f"the password is too short ({len(password)} characters; at least {MIN_LENGTH} "
            "are needed, and a few unrelated words make a good one)"
        )
    if len(password) > MAX_LENGTH:
        return f"the password is longer than {MAX_LENGTH} characters"
    if "\0" in password:
        return "the password contains a NUL character"
    words = [w for w in re.split(r"[^\w]+", f"{email} {name}".lower()) if len(w) > 2]
    estimate = zxcvbn(password[:_ESTIMATED], user_inputs=[email.lower(), *words])
    if estimate["score"] >= MIN_SCORE:
        return None
    feedback = estimate["feedback"]
    hint = feedback.get("warning") or "It is too easy to guess."
    suggestions = " ".join(feedback.get("suggestions") or [])
    text = f"the password is too easy to guess: {hint.rstrip('.')}."
    if suggestions:
        text += f" {suggestions}"
    return text.rstrip(".")  # the caller ends the sentence ("; nothing was saved")
