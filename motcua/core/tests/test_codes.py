import threading
from datetime import date

import pytest
from django.db import connection, transaction

from motcua.core import codes
from motcua.core.codes import (
    dossier_code,
    next_dossier_code,
    next_in_sequence,
    next_in_sequences,
    ticket_number,
)

DAY = date(2025, 10, 27)


def test_formats():
    assert dossier_code("000.00.06.H26", DAY, 361) == "000.00.06.H26-251027-0361"
    assert dossier_code("000.00.06.H26", DAY, 12345) == "000.00.06.H26-251027-12345"
    assert ticket_number("B", 27) == "B-027"


@pytest.mark.django_db
def test_sequences_count_per_scope_and_day():
    assert [next_in_sequence("a", DAY) for _ in range(3)] == [1, 2, 3]
    assert next_in_sequence("b", DAY) == 1
    assert next_in_sequence("a", date(2025, 10, 28)) == 1
    assert next_dossier_code("000.00.06.H26", DAY) == "000.00.06.H26-251027-0001"


@pytest.mark.django_db
def test_several_sequences_in_one_statement_count_like_one_each(django_assert_num_queries):
    assert next_in_sequence("s1", DAY) == 1
    with django_assert_num_queries(1):
        assert next_in_sequences(("s1", DAY), ("s2", date(2025, 1, 1))) == [2, 1]
    assert next_in_sequences(("s2", date(2025, 1, 1)), ("s1", DAY)) == [2, 3]  # in the order asked
    assert codes.next_dossier_code_and_slip("000.00.06.H26", DAY, "01", "CN02/2025", 2025) == (
        "000.00.06.H26-251027-0001", 1)
    assert codes.next_slip_number("01", "CN02/2025", 2025) == 2
    with pytest.raises(ValueError):
        next_in_sequences(("s1", DAY), ("s1", date(2025, 1, 1)))


@pytest.mark.django_db
def test_a_rolled_back_number_is_given_again():
    assert next_in_sequence("r", DAY) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_in_sequence("r", DAY) == 2
        raise RuntimeError
    assert next_in_sequence("r", DAY) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_share_a_number():
    results, errors = [], []

    def worker():
        try:
            for _ in range(25):
                with transaction.atomic():
                    results.append(next_in_sequence("c", DAY))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == list(range(1, 201))


def test_booking_codes_avoid_letters_and_digits_that_are_misread():
    code = codes.new_booking_code()
    assert len(code) == 8 and set(code) <= set(codes.BOOKING_CODE_ALPHABET)
    assert not set(codes.BOOKING_CODE_ALPHABET) & set("0O1I")


def test_a_typed_booking_code_is_read_as_stored():
    assert codes.normalise_booking_code(" k7m2-qx9a ") == "K7M2QX9A"
    assert codes.normalise_booking_code(None) == ""


def test_slip_numbers_are_printed_with_the_form_symbol_and_the_unit_of_their_book():
    book = codes.slip_book(codes.slip_unit(2), 2026)
    assert book == "CN02/2026" and codes.slip_book(codes.slip_unit(None), 2026) == "TT/2026"
    assert codes.printed_slip_number(153, "TNHS", book) == "0153/TNHS-CN02"


@pytest.mark.django_db
def test_slip_numbers_run_per_form_and_book_from_one():
    assert [codes.next_slip_number("receipt", "CN02/2026", 2026) for _n in range(2)] == [1, 2]
    assert codes.next_slip_number("receipt", "CN03/2026", 2026) == 1
    assert codes.next_slip_number("supplement", "CN02/2026", 2026) == 1


def test_a_centers_prefix_goes_before_the_unit_of_its_books():
    book = codes.slip_book(codes.slip_unit(2, "DN"), 2026)
    assert book == "DN-CN02/2026" and codes.slip_book(codes.slip_unit(None, "DN"), 2026) == "DN-TT/2026"
    assert codes.printed_slip_number(1, "TNHS", book) == "0001/TNHS-DN-CN02"
