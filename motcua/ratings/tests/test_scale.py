"""The score: a number from 1 to 5 or the name of a level, nothing else."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.errors import ValidationFailed
from motcua.ratings.models import Level
from motcua.ratings.services import clean_comment, parse_score

NAMES = {"Rất không hài lòng": 1, "Không hài lòng": 2, "Bình thường": 3, "Hài lòng": 4, "Rất hài lòng": 5}


@given(st.integers().filter(lambda n: not 1 <= n <= 5))
def test_a_number_outside_1_to_5_is_refused(number):
    with pytest.raises(ValidationFailed) as error:
        parse_score(number)
    assert error.value.details == {"field": "score"}


@given(st.sampled_from(sorted(NAMES)), st.sampled_from([str.upper, str.lower, str.title, lambda s: f"  {s} "]))
def test_a_level_name_is_understood_in_any_case(name, variant):
    assert parse_score(variant(name)) == NAMES[name]


@given(st.text(max_size=30).filter(lambda s: " ".join(s.split()).casefold() not in {
    *(n.casefold() for n in NAMES), *"12345", *(lv.name.lower().replace("_", " ") for lv in Level)}))
def test_other_text_is_refused(text):
    with pytest.raises(ValidationFailed):
        parse_score(text)


@pytest.mark.parametrize("value", [True, False, None, 4.0, [4], {"score": 4}])
def test_other_types_are_refused(value):
    with pytest.raises(ValidationFailed):
        parse_score(value)


@given(st.text(max_size=600))
def test_a_stored_comment_is_never_longer_than_the_limit(text):
    try:
        cleaned = clean_comment(text)
    except ValidationFailed as error:
        assert error.code == "comment_too_long"
    else:
        assert len(cleaned) <= 500
