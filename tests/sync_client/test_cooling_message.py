"""The sentence a volunteer reads while the hub makes them wait for more names."""

from __future__ import annotations

import pytest

from desktop.sync.reserve import _cooling_message


@pytest.mark.parametrize(
    ("seconds", "sentence"),
    [
        (0.4, "You can get more names in 1 second."),
        (1.0, "You can get more names in 1 second."),
        (45, "You can get more names in 45 seconds."),
        (89, "You can get more names in 89 seconds."),
        (90, "You can get more names in 2 minutes."),
        (600, "You can get more names in 10 minutes."),
    ],
)
def test_the_wait_is_said_in_plain_words_with_the_right_plural(
    seconds: float, sentence: str
) -> None:
    assert str(_cooling_message(seconds)) == sentence
