"""Industrial areas and districts of the portal province (27 in the tests) for the area pages."""

from facilities.models import IndustrialArea
from tests.factories import DistrictFactory, ProvinceFactory


def make_district(name="Huyện Quế Võ", code="258"):
    return DistrictFactory(name=name, code=code)


def make_foreign_district():
    """A district of another province: not a valid choice on the area form."""
    province = ProvinceFactory(code="30", name="Tỉnh Hải Dương")
    return DistrictFactory(name="Thành phố Chí Linh", code="290", parent=province)


def make_area(name="Khu công nghiệp Quế Võ", kind=IndustrialArea.Kind.KCN, district=None):
    return IndustrialArea.objects.create(name=name, kind=kind, district=district)
