from datetime import date

import factory
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from facilities.models import AdminUnit, Facility, IndustryCode
from facilities.validators import tax_code_check_digit


def make_tax_code(n: int) -> str:
    """A valid 10-digit tax code derived from n (skips prefixes for which no code is issued)."""
    base = 100000000 + n * 7
    while True:
        first9 = f"{base:09d}"[-9:]
        digit = tax_code_check_digit(first9)
        if digit is not None:
            return f"{first9}{digit}"
        base += 1


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    full_name = factory.Faker("name", locale="vi_VN")
    role = Role.FACILITY
    password = factory.django.Password("Mat-khau-2026")


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = AdminUnit
        django_get_or_create = ("scheme", "code")

    code = "27"
    name = "Tỉnh Bắc Ninh"
    level = AdminUnit.Level.PROVINCE
    scheme = AdminUnit.Scheme.PRE2025


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = AdminUnit
        django_get_or_create = ("scheme", "code")

    code = factory.Sequence(lambda n: f"{260 + n % 700:03d}")
    name = factory.Sequence(lambda n: f"Huyện Thử {n}")
    level = AdminUnit.Level.DISTRICT
    scheme = AdminUnit.Scheme.PRE2025
    parent = factory.SubFactory(ProvinceFactory)


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = AdminUnit
        django_get_or_create = ("scheme", "code")

    code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    level = AdminUnit.Level.COMMUNE
    scheme = AdminUnit.Scheme.PRE2025
    parent = factory.SubFactory(DistrictFactory)


class IndustryCodeFactory(DjangoModelFactory):
    class Meta:
        model = IndustryCode
        django_get_or_create = ("version", "code")

    version = "VSIC2018"
    code = "10"
    name = "Sản xuất, chế biến thực phẩm"
    level = 2


class FacilityFactory(DjangoModelFactory):
    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Công ty TNHH Sản xuất Thử nghiệm {n}")
    tax_code = factory.Sequence(make_tax_code)
    address = factory.Sequence(lambda n: f"Số {n}, Đường Lý Thái Tổ")
    commune = factory.SubFactory(CommuneFactory)
    industry = factory.SubFactory(IndustryCodeFactory)
    ownership = Facility.Ownership.PRIVATE
    established_year = 2010
    employees = 50


class AnnualReportFactory(DjangoModelFactory):
    class Meta:
        model = "assessments.AnnualReport"

    facility = factory.SubFactory(FacilityFactory)
    year = 2018
    product = "Giấy bao bì"
    product_unit = "tấn"
    output = 1000
    electricity_kwh = 500000
    coal_t = 100
    state = "approved"


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = "assessments.Assessment"

    facility = factory.SubFactory(FacilityFactory)
    kind = "quick"
    consultant = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp"
    baseline_year = 2016
    total_cost_vnd = 80_000_000
    supported_amount_vnd = 40_000_000
    state = "approved"


class OptionFactory(DjangoModelFactory):
    class Meta:
        model = "assessments.Option"

    assessment = factory.SubFactory(AssessmentFactory)
    category = 1
    description = "Sửa chữa rò rỉ hơi và bảo ôn đường ống"
    status = "done"
    implementation_year = 2018
    investment_vnd = 120_000_000
    annual_saving_vnd = 60_000_000


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = "assessments.Activity"

    kind = "workshop"
    title = factory.Sequence(lambda n: f"Hội thảo nâng cao nhận thức SXSH số {n}")
    date = factory.Faker(
        "date_between_dates", date_start=date(2017, 1, 1), date_end=date(2017, 12, 31)
    )
