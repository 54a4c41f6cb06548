"""The 2025 provinces and their pre-2025 predecessors, from the `vietnam-provinces` package
alone (no database): which 2025 province an old province became, and a 2025 province by code.
Below `models` and `territory`, so both can use it."""

from functools import lru_cache


class UnknownProvince(ValueError):
    """A province code that is neither a 2025 nor a pre-2025 province (Vietnamese message)."""


@lru_cache(maxsize=128)
def successor_of_legacy(legacy_code: int) -> int:
    """The 2025 province a pre-2025 province became (the one that kept most of it)."""
    from vietnam_provinces import Province

    found = Province.search_from_legacy(code=int(legacy_code))
    codes = [item.province.code.value for item in found]
    if not codes:
        raise UnknownProvince(
            f"Không có tỉnh/thành phố mã {legacy_code} trong danh mục đơn vị hành chính "
            "trước 1/7/2025."
        )
    # A province that kept its code is its own successor; a few old provinces lost a commune or
    # two to a neighbour, which the package lists too.
    return legacy_code if legacy_code in codes else max(set(codes), key=codes.count)


@lru_cache(maxsize=64)
def province_2025(code: int):
    """The package's 2025 province for `code`."""
    from vietnam_provinces import Province, ProvinceCode

    try:
        return Province.from_code(ProvinceCode(int(code)))
    except (TypeError, ValueError) as exc:
        raise UnknownProvince(
            f"Không có tỉnh/thành phố mã {code} trong danh mục đơn vị hành chính từ 1/7/2025."
        ) from exc


# `vietnam-provinces` 2026.x names three provinces "Thành phố …" in its lookup table (the
# Province objects) while its own data file (data/nested-divisions.json) and the resolutions of
# 2025 make them provinces, "Tỉnh …"; the official heading is "UBND TỈNH BẮC NINH" (DOMAIN.md).
# The data file's names are taken (tests/facilities/test_province_names.py compares them).
NAME_CORRECTIONS = {22: "Tỉnh Quảng Ninh", 24: "Tỉnh Bắc Ninh", 75: "Tỉnh Đồng Nai"}


def province_2025_name(code) -> str:
    """The name of the 2025 province `code` ("Tỉnh Bắc Ninh", "Thành phố Hải Phòng")."""
    province = province_2025(code)
    return NAME_CORRECTIONS.get(province.code.value, province.name)


@lru_cache(maxsize=64)
def legacy_codes_of(code_2025) -> tuple[str, ...]:
    """The pre-2025 provinces ("24", "27") that merged into the 2025 province `code_2025`; none
    for an unknown code."""
    try:
        sources = province_2025(int(code_2025)).get_legacy_sources()
    except (UnknownProvince, ValueError):
        return ()
    return tuple(sorted(f"{p.code.value:02d}" for p in sources))
