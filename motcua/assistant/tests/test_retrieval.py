"""Retrieval: which procedure a question is about, as people type it."""

import pytest
import yaml

from motcua.assistant import evaluation, retrieval, synonyms

pytestmark = pytest.mark.django_db


def top(question: str) -> str | None:
    found = retrieval.rank_procedures(question)
    return found[0].code if found else None


@pytest.mark.parametrize("question, code", [
    ("con tôi mới sinh thì làm giấy tờ gì", "1.001193"),   # colloquial
    ("lam giay khai sinh", "1.001193"),                     # without diacritics
    ("kahi sinh cho con", "1.001193"),                      # a typo one edit away
    ("mat bang lai xe thi lam sao", "3.000348"),            # colloquial name, no diacritics
    ("đổi gplx hết hạn", "3.000347"),                       # abbreviation
    ("làm cccd", "1.014061"),
    ("dkkd hộ cá thể", "1.001612"),
    ("sang tên sổ đỏ", "1.012787"),
])
def test_questions_as_people_type_them_find_their_procedure(catalog, question, code):
    assert top(question) == code


def test_a_question_sharing_no_word_with_the_catalog_finds_nothing(catalog):
    # "vũ trụ" shares the syllable "trụ"/"trú" with "tạm trú", and "tàu" with "tàu du lịch": no word.
    assert retrieval.rank_procedures("tàu vũ trụ") == []
    assert retrieval.rank_procedures("???") == []


def test_best_procedure_comes_first_with_a_decreasing_score(catalog):
    found = retrieval.rank_procedures("đăng ký kết hôn với người nước ngoài")
    assert found[0].code == "2.000806"
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_an_edited_synonym_file_is_used_without_a_restart(catalog, settings, tmp_path):
    path = tmp_path / "synonyms.yaml"
    settings.MOTCUA_ASSISTANT_SYNONYMS = str(path)
    path.write_text("procedures: {}\n", encoding="utf-8")
    assert top("giấy tờ khi cưới vợ") != "1.000894"
    path.write_text('procedures:\n  "1.000894": [cưới vợ]\n', encoding="utf-8")
    import os
    os.utime(path, (1, 2_000_000_000))  # a new modification time, whatever the file system's resolution
    assert top("giấy tờ khi cưới vợ") == "1.000894"


def test_abbreviations_expand_and_question_words_drop():
    table = synonyms.parse({"abbreviations": {"gplx": "giấy phép lái xe"}, "stopwords": ["thế nào", "làm"]})
    words = synonyms.content_words(synonyms.words_of("làm GPLX thế nào"), table)
    assert words == ["giay", "phep", "lai", "xe"]


@pytest.mark.parametrize("data, message", [
    ([1, 2], "expected a mapping"),
    ({"synonyms": {}}, "unknown keys"),
    ({"procedures": {"1.001193": "khai sinh"}}, "needs a list"),
    ({"abbreviations": {"x": "!!"}}, "has no words"),
])
def test_a_wrong_synonym_file_is_explained(data, message):
    with pytest.raises(synonyms.SynonymsError, match=message):
        synonyms.parse(data)


def test_the_shipped_synonyms_name_only_procedures_of_the_catalog(catalog):
    from motcua.catalog.models import Procedure

    listed = set(synonyms.current().procedures)
    assert listed and listed <= set(Procedure.objects.values_list("code", flat=True))


def test_the_evaluation_set_is_large_split_and_points_at_real_procedures(catalog):
    from motcua.catalog.models import Procedure

    cases = evaluation.load_cases()
    assert len(cases) >= 200
    assert {c.code for c in cases} <= set(Procedure.objects.values_list("code", flat=True))
    by_split = {split: {synonyms.words_of(c.question) for c in cases if c.split == split} for split in evaluation.SPLITS}
    assert len([c for c in cases if c.split == "test"]) >= 100
    assert not by_split["dev"] & by_split["test"], "a question is in both splits"


def test_accuracy_on_questions_never_used_for_the_synonyms_stays_at_its_level(catalog):
    """A regression guard: the held-out split's top-1 accuracy (docs/assistant.md reports the figure)."""
    scores = evaluation.score(evaluation.load_cases(), lambda q: [m.code for m in retrieval.rank_procedures(q)])
    assert scores["test"].top1_share >= 0.9, scores["test"].misses
    assert scores["test"].top3_share >= scores["test"].top1_share


def test_evaluation_reads_a_given_folder(tmp_path):
    for split in evaluation.SPLITS:
        (tmp_path / f"evaluation-{split}.yaml").write_text(yaml.safe_dump([{"q": "khai sinh", "code": "1"}]),
                                                           encoding="utf-8")
    cases = evaluation.load_cases(tmp_path)
    scores = evaluation.score(cases, lambda q: ["2", "1"])
    assert scores["dev"].top1 == 0 and scores["dev"].top3 == 1 and scores["test"].total == 1


def test_a_broken_synonym_file_keeps_the_last_good_list_in_force(catalog, settings, tmp_path, caplog):
    import os

    path = tmp_path / "synonyms.yaml"
    settings.MOTCUA_ASSISTANT_SYNONYMS = str(path)
    path.write_text('procedures:\n  "1.000894": [cưới vợ]\n', encoding="utf-8")
    assert top("giấy tờ khi cưới vợ") == "1.000894"
    path.write_text("procedures: [oops\n", encoding="utf-8")
    os.utime(path, (1, 2_000_000_100))
    assert top("giấy tờ khi cưới vợ") == "1.000894"
    assert "synonyms not loaded" in caplog.text


def test_a_code_unknown_to_the_catalog_is_ignored_with_a_warning(catalog, settings, tmp_path, caplog):
    path = tmp_path / "synonyms.yaml"
    settings.MOTCUA_ASSISTANT_SYNONYMS = str(path)
    path.write_text('procedures:\n  "9.999999": [tàu vũ trụ]\n', encoding="utf-8")
    assert retrieval.rank_procedures("tàu vũ trụ") == []
    assert "9.999999" in caplog.text
