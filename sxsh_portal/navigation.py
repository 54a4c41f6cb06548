"""The main menu of base.html: which links each role sees, grouped in drop-down sections so that
the staff's long menu fits one line at 1366 px, and which link is the current section's.

The project package knows every app's URL names, so the menu lives here rather than in an app.
`main_menu` is a context processor; the menu is built only when a template reads it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

STAFF, OFFICIAL, FACILITY = "staff", "official", "facility"
# The ministry (national installation, DESIGN §2) reads what officials read.
MINISTRY = "ministry"
ONLY_STAFF = frozenset({STAFF})
ONLY_FACILITY = frozenset({FACILITY})
STAFF_OFFICIAL = frozenset({STAFF, OFFICIAL, MINISTRY})
EVERYONE = frozenset({STAFF, OFFICIAL, MINISTRY, FACILITY})

# A role with this many links or fewer gets them side by side, without drop-downs.
FLAT_MENU_MAX = 7


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    roles: frozenset
    superuser_only: bool = False

    def shown_to(self, role: str, is_superuser: bool) -> bool:
        if self.superuser_only:
            return is_superuser
        return role in self.roles


@dataclass(frozen=True)
class Section:
    label: str
    links: tuple[Link, ...]


HOME = Link(_("Trang chủ"), "home", EVERYONE)

SECTIONS = (
    Section(
        _("Cơ sở"),
        (
            Link(_("Danh sách cơ sở"), "facilities:list", STAFF_OFFICIAL),
            Link(_("Cơ sở của tôi"), "facilities:list", ONLY_FACILITY),
            Link(_("Kết quả SXSH"), "reports:my_facility", ONLY_FACILITY),
            Link(_("Nhập danh sách cơ sở từ tệp"), "facilities:import", ONLY_STAFF),
            Link(_("Cơ sở cần chọn xã/phường mới"), "facilities:needs_ward", ONLY_STAFF),
            Link(_("Khu/cụm công nghiệp"), "facilities:area_list", STAFF_OFFICIAL),
            Link(_("Ngành ưu tiên"), "facilities:sector_list", STAFF_OFFICIAL),
        ),
    ),
    Section(
        _("Báo cáo & đánh giá"),
        (
            Link(_("Báo cáo năm"), "assessments:report_list", EVERYONE),
            Link(_("Báo cáo chờ duyệt"), "assessments:review_queue", ONLY_STAFF),
            Link(_("Cơ sở chưa báo cáo"), "assessments:missing_reports", ONLY_STAFF),
            Link(_("Hạn nộp báo cáo năm"), "assessments:deadline_list", ONLY_STAFF),
            Link(_("Nhập báo cáo năm từ tệp"), "assessments:report_import", ONLY_STAFF),
            Link(_("Phát hiện khi kiểm tra số liệu"), "assessments:quality_findings", ONLY_STAFF),
            Link(_("Đánh giá SXSH"), "assessments:assessment_list", EVERYONE),
        ),
    ),
    Section(
        _("Chương trình"),
        (
            Link(_("Kế hoạch và chỉ tiêu"), "reports:plan", ONLY_STAFF),
            Link(_("Hoạt động"), "assessments:activity_list", EVERYONE),
            Link(_("Thư viện giải pháp"), "assessments:option_library", EVERYONE),
        ),
    ),
    Section(
        _("Thống kê"),
        (
            Link(pgettext_lazy("menu", "Chỉ tiêu"), "reports:dashboard", STAFF_OFFICIAL),
            Link(_("Báo cáo tổng hợp"), "reports:list", STAFF_OFFICIAL),
            Link(_("Sổ đăng ký văn bản đi"), "reports:register", STAFF_OFFICIAL),
            Link(_("Điểm hiệu quả năng lượng theo ngành"), "reports:sector_scores", STAFF_OFFICIAL),
            Link(_("Cách tính các chỉ tiêu"), "reports:help", STAFF_OFFICIAL),
        ),
    ),
    Section(
        _("Quản trị"),
        (
            Link(_("Tài khoản người dùng"), "accounts:user_list", ONLY_STAFF),
            Link(_("Nhật ký kiểm toán"), "accounts:audit_log", ONLY_STAFF),
            Link(_("Quy tắc kiểm tra số liệu"), "assessments:quality_rule_list", ONLY_STAFF),
            Link(_("Hệ số quy đổi"), "assessments:factor_list", ONLY_STAFF),
            Link(_("API dữ liệu (v1)"), "reports:api_docs", ONLY_STAFF),
            Link(_("Quản trị hệ thống"), "admin:index", frozenset(), superuser_only=True),
        ),
    ),
)


@dataclass
class MenuLink:
    label: str
    url: str
    active: bool = False


@dataclass
class MenuEntry:
    """A plain link (`links` has one item and `label` is None) or a drop-down section."""

    label: str | None
    links: list[MenuLink]

    @property
    def is_group(self) -> bool:
        return self.label is not None

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)

    @property
    def link(self) -> MenuLink:
        return self.links[0]


def _role(user) -> str:
    # As accounts.context_processors.portal: a superuser works as staff.
    return STAFF if user.is_superuser else user.role


def _mark_current(links: list[MenuLink], path: str) -> None:
    """The current section is the link whose URL is the longest prefix of `path`; the home page
    ("/", a prefix of everything) only on itself."""

    def matches(link):
        return path == link.url if link.url == "/" else path.startswith(link.url)

    candidates = [link for link in links if matches(link)]
    if candidates:
        max(candidates, key=lambda link: len(link.url)).active = True


def build_menu(user, path: str) -> list[MenuEntry]:
    if not user.is_authenticated:
        return []
    role, superuser = _role(user), user.is_superuser
    entries = [MenuEntry(None, [MenuLink(HOME.label, reverse(HOME.url_name))])]
    for section in SECTIONS:
        links = [
            MenuLink(link.label, reverse(link.url_name))
            for link in section.links
            if link.shown_to(role, superuser)
        ]
        if links:
            entries.append(MenuEntry(section.label, links))
    all_links = [link for entry in entries for link in entry.links]
    _mark_current(all_links, path)
    if len(all_links) <= FLAT_MENU_MAX:
        return [MenuEntry(None, [link]) for link in all_links]
    # A section with a single link for this role is that link, not a one-item drop-down.
    return [MenuEntry(None, e.links) if len(e.links) == 1 else e for e in entries]


def main_menu(request):
    """Context processor: `main_menu`, the entries of the navigation bar for this request."""
    user = getattr(request, "user", None)
    if user is None:
        return {"main_menu": []}
    return {"main_menu": SimpleLazyObject(lambda: build_menu(user, request.path))}
