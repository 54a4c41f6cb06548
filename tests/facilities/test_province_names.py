"""The 2025 provinces' names: `vietnam-provinces`' lookup calls three of them "Thành phố …",
its own data file and DOMAIN.md ("UBND TỈNH BẮC NINH") call them provinces. The portal takes the
data file's names for all 34."""

import json
from importlib.resources import files

from vietnam_provinces import Province

from facilities.provinces import NAME_CORRECTIONS, province_2025_name


def _data_file_names() -> dict[int, str]:
    text = files("vietnam_provinces").joinpath("data/nested-divisions.json").read_text("utf-8")
    return {int(province["code"]): province["name"] for province in json.loads(text)}


def test_every_province_is_named_as_the_data_file_names_it():
    names = _data_file_names()
    codes = [province.code.value for province in Province.iter_all()]
    assert len(codes) == 34
    assert {code: province_2025_name(code) for code in codes} == {
        code: names[code] for code in codes
    }
    assert province_2025_name(24) == "Tỉnh Bắc Ninh"
    assert province_2025_name(31) == "Thành phố Hải Phòng"


def test_the_corrections_are_still_needed():
    # When the package's lookup agrees with its data file, the table can go.
    lookup = {province.code.value: province.name for province in Province.iter_all()}
    assert all(lookup[code] != name for code, name in NAME_CORRECTIONS.items())
