"""The script walk both sides rely on: branching by answer, question default, order, end."""

from sync.protocol import Option, Question, QuestionKind, Script


def _script() -> Script:
    return Script(
        id=1,
        campaign_id=1,
        version=1,
        title="GOTV",
        intro="Hi {first_name}",
        questions=[
            Question(
                id="support",
                text="Can we count on your vote?",
                kind=QuestionKind.choice,
                options=[
                    Option(value="yes", label="Yes", next="plan"),
                    Option(value="undecided", label="Undecided", next="issue"),
                    Option(value="no", label="No", next="end"),
                ],
            ),
            Question(id="issue", text="What matters?", kind=QuestionKind.text, next="end"),
            Question(id="plan", text="Know your polling place?", kind=QuestionKind.yesno),
        ],
    )


def test_answer_option_chooses_the_next_question() -> None:
    script = _script()
    assert script.next_question_id("support", "yes") == "plan"
    assert script.next_question_id("support", "undecided") == "issue"
    assert script.next_question_id("support", "no") is None


def test_question_default_next_and_order() -> None:
    script = _script()
    assert script.next_question_id("issue", "jobs") is None  # its own next: end
    assert script.next_question_id("plan", True) is None  # last question


def test_yesno_and_scale_offer_implied_choices() -> None:
    yesno = Question(id="q", text="?", kind=QuestionKind.yesno)
    assert [o.value for o in yesno.choices()] == ["yes", "no"]
    scale = Question(id="s", text="?", kind=QuestionKind.scale, scale_min=1, scale_max=3)
    assert [o.value for o in scale.choices()] == ["1", "2", "3"]
