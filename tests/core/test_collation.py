"""Vietnamese alphabetical order: "Đ" after "D" and before "E", tones after the bare letter,
ă/â after a, ơ/ô after o, ư after u — on PostgreSQL (ICU) and on SQLite (our collation)."""

import pytest
from django.urls import reverse

from core.collation import sort_key
from tests.factories import FacilityFactory

# The order a Vietnamese dictionary gives, written out by hand.
DICTIONARY_ORDER = [
    "An Bình",
    "Ánh Dương",
    "Ăn Uống",
    "Âu Lạc",
    "Dệt Nam",
    "Đông Á",
    "Em Xinh",
    "Ốc Đảo",
    "Ơn Sông",
    "Uyên",
    "Ưu Việt",
    "Vạn Phúc",
]


def test_sort_key_follows_the_vietnamese_alphabet():
    shuffled = list(reversed(DICTIONARY_ORDER))
    assert sorted(shuffled, key=sort_key) == DICTIONARY_ORDER


def test_tones_come_in_dictionary_order_after_the_bare_letter():
    # none, huyền, hỏi, ngã, sắc, nặng
    words = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(reversed(words), key=sort_key) == words


@pytest.mark.django_db
@pytest.mark.parametrize("sort, expected", [("name", DICTIONARY_ORDER), ("-name", None)])
def test_facility_list_sorts_names_the_vietnamese_way(client, staff, sort, expected):
    for name in reversed(DICTIONARY_ORDER):
        FacilityFactory(name=name)
    client.force_login(staff)
    page = client.get(reverse("facilities:list"), {"sort": sort}).context["page"]
    names = [facility.name for facility in page.object_list]
    assert names == (expected or list(reversed(DICTIONARY_ORDER)))
