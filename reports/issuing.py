"""Issuing a generated document and the outgoing register (DESIGN §5 "Report files").

Every generated file is a draft. Staff issue a built PDF or Word draft: in one transaction the
register's counter row of the issue year and document type is locked (SELECT … FOR UPDATE; a
unique constraint on (register year, type, number) backs it), the document is built ONCE more
with what issuing records — its number and the issue date in the heading ("Số: 12/BC-SCT"), the
signer ("KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC" and the name) and the recipients ("Nơi nhận") —, the
draft's file is replaced by it and its SHA-256 recorded; from then on the file is frozen: the
worker never claims an issued report, the retention purge skips it and deleting it is refused.
Issuing again means requesting a new draft and issuing that one, with a new number.

One document, one number (NĐ 30/2020): a draft of a document already issued — the same kind
(the annual or the half-year report), year and scope (`Report.province`), whatever its format:
the 2019 annual report issued as PDF, then its Word draft — is issued only when staff confirm
that they mean a new document with a new number (`reissue_of`: the earlier issues they were
shown); else `AlreadyIssued` (nothing issued, no number taken). The check is made again with the
register's counter row locked, the row every issue of that register locks before it takes a
number: of two twins issued at once the second waits, then sees the first and is refused.

The issued document says exactly what the reviewed draft said: the rebuild is written only when
its content (figures, tables, narrative; reports.files.fingerprint) has the fingerprint
kept with the draft (`Report.content_sha256`). When the data or the narrative changed since the
draft was built — or the draft predates the fingerprint — `generation.ContentChanged` is raised
and the transaction rolls back: no number taken, the draft and its file untouched; staff request
a new draft, review it and issue that.

Nor is a document issued with a staff-written section (III shortcomings, IV direction, V
recommendations) still empty: the file would print "[Cán bộ Sở bổ sung nội dung trước khi
ban hành.]" there, frozen for ever. `missing_sections` names them; the issue page says so
beforehand and issuing raises `NarrativeMissing` (nothing issued, no number taken).

A national installation (DESIGN §2): each issuing body keeps its own register — each province's
department (`Report.province`) and the Ministry ("", symbol "BC-BCT") —; a province's staff issue
its documents, the Ministry issues nothing (reports/access.py).
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from accounts.models import Role, User
from core.links import portal_link

from . import generation
from .files import xlsx
from .files.content import recipient_lines
from .models import DocumentCounter, Report, ReportNarrative, is_national_document
from .narrative import blocks, placeholder


class NotIssuable(Exception):
    """The report is not a built PDF or Word draft (issued already, not built, or a table)."""


# The sections of a document written by staff (ReportNarrative), with their numbers in it.
NARRATIVE_SECTIONS = (("III", "shortcomings"), ("IV", "direction"), ("V", "recommendations"))


def missing_sections(report: Report) -> list[str]:
    """The staff-written sections the document of `report` would print as the placeholder
    (reports.narrative.placeholder: nothing but blank lines or bullet marks), as "III. Tồn tại,
    hạn chế và nguyên nhân"; empty for a document with none of them (the Ministry's table)."""
    if report.kind not in Report.PERIOD_KINDS.values():
        return []
    narrative = ReportNarrative.objects.filter(
        province=report.province, year=report.year, period_kind=report.period
    ).first()
    return [
        f"{numeral}. {capfirst(ReportNarrative._meta.get_field(name).verbose_name)}"
        for numeral, name in NARRATIVE_SECTIONS
        if not blocks(getattr(narrative, name, ""))
    ]


def missing_sections_message(report: Report, sections: list[str]) -> str:
    """Why `report` is not issued: which sections are empty and where to write them."""
    return _(
        "Chưa thể ban hành: văn bản còn để trống %(sections)s (sẽ in “%(placeholder)s”). Hãy "
        "viết các phần này ở trang Nội dung báo cáo %(period)s %(year)s, rồi tạo dự thảo mới, "
        "rà soát và ban hành. Chưa ban hành, chưa lấy số."
    ) % {
        "sections": "; ".join(sections),
        "placeholder": placeholder(national=is_national_document(report.province)),
        "period": ReportNarrative.PeriodKind(report.period).label.lower(),
        "year": report.year,
    }


class NarrativeMissing(generation.ContentChanged):
    """Issuing refused: a staff-written section of the document is empty. A ContentChanged: the
    same remedy (write the narrative, then request, review and issue a new draft) and the same
    guarantee (nothing issued, no number taken)."""

    def __init__(self, report: Report, sections: list[str]):
        self.legacy = False
        self.sections = sections
        Exception.__init__(self, missing_sections_message(report, sections))


@dataclass(frozen=True)
class IssueDetails:
    signer_name: str
    signer_title: str
    recipients: str
    issue_date: date | None = None
    on_behalf: bool = False  # a deputy signs: "KT. <title>" over "PHÓ <title>"


def earlier_issues(report: Report) -> list[Report]:
    """The same document issued already, oldest first: the issued documents of `report`'s kind
    (annual or half-year), year and scope (`Report.province`), in any format."""
    return list(
        Report.objects.issued()
        .filter(kind=report.kind, year=report.year, province=report.province)
        .exclude(pk=report.pk)
        .select_related("issued_by")
        .order_by("issued_at", "pk")
    )


def earlier_issues_text(earlier: list[Report]) -> str:
    """ "01/BC-SCT ngày 05/03/2026 (PDF), do Nguyễn Văn A ban hành; …" """
    return "; ".join(
        _("%(number)s ngày %(date)s (%(format)s), do %(issuer)s ban hành")
        % {
            "number": issued.number_label,
            "date": issued.issue_date.strftime("%d/%m/%Y"),
            "format": issued.get_format_display(),
            "issuer": issued.issued_by or "—",
        }
        for issued in earlier
    )


def already_issued_message(report: Report, earlier: list[Report]) -> str:
    """Why `report` is not issued without confirmation: the same document has a number."""
    return _(
        "%(document)s đã được ban hành: số %(issues)s. Một văn bản chỉ có một số. Chỉ khi cần "
        "ban hành văn bản mới với số mới (ví dụ để thay thế văn bản đã ban hành), hãy đánh dấu "
        "ô “Ban hành văn bản mới với số mới”. Chưa ban hành, chưa lấy số."
    ) % {"document": document_subject(report), "issues": earlier_issues_text(earlier)}


class AlreadyIssued(Exception):
    """Issuing refused: the same document was issued already (`earlier_issues`) and the issuer
    did not confirm a new document with a new number for each of them. Nothing issued, no
    number taken."""

    def __init__(self, report: Report, earlier: list[Report]):
        self.earlier = earlier
        super().__init__(already_issued_message(report, earlier))


def printed_recipients(lines: list[str]) -> list[str]:
    """The recipients as the issued document prints them under "Nơi nhận" ("- UBND tỉnh Bắc
    Ninh;" … "- Lưu: VT."; files.content.recipient_lines, the documents' one form, in the
    documents' language), which the register records: recording them so and printing them again
    give the same lines. None recorded (an issue older than the recipients): none."""
    if not any(line.strip() for line in lines):
        return []
    with translation.override(settings.LANGUAGE_CODE):
        return recipient_lines(lines)


def lock_register(*, year: int, doc_type: str, province: str = "") -> DocumentCounter:
    """The counter row of the register of `province`'s issuing body, locked until the
    transaction ends (call inside one): concurrent issues of that register wait here."""
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(province=province, year=year, doc_type=doc_type)], ignore_conflicts=True
    )
    return DocumentCounter.objects.select_for_update().get(
        province=province, year=year, doc_type=doc_type
    )


def issue_report(
    *, report_id: int, by, details: IssueDetails, reissue_of: Collection[int] = ()
) -> Report:
    """Issue draft `report_id`: number, date, signer and recipients; the document is rebuilt
    with its number, then frozen. NotIssuable when it is not an issuable draft; ContentChanged
    (nothing issued, no number taken) when the rebuild would not say what the draft said, or
    NarrativeMissing when a staff-written section is still empty; AlreadyIssued (nothing issued,
    no number taken) when the same document was issued already (`earlier_issues`) and not every
    earlier issue is in `reissue_of`, the ids of those the issuer was shown and confirmed issuing
    a new document with a new number after."""
    issue_date = details.issue_date or timezone.localdate()
    partial = None
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or not report.can_issue:
            raise NotIssuable
        if missing := missing_sections(report):
            raise NarrativeMissing(report, missing)
        old_file = report.file.name
        report.doc_type = Report.DocType.REPORT
        report.register_year = issue_date.year
        # Locked before the check: a twin issued at the same time holds this row until it
        # commits, and the check below (a new snapshot, READ COMMITTED) then sees it.
        counter = lock_register(
            year=issue_date.year, doc_type=report.doc_type, province=report.province
        )
        earlier = earlier_issues(report)
        if any(issued.pk not in reissue_of for issued in earlier):
            raise AlreadyIssued(report, earlier)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        report.number = counter.last_number
        report.issue_date = issue_date
        report.issued_at = timezone.now()
        report.issued_by = by
        report.signer_name = details.signer_name
        report.signer_title = details.signer_title
        report.signer_on_behalf = details.on_behalf
        # Recorded as the document prints them, so that the register says what was sent.
        report.recipients = "\n".join(printed_recipients(details.recipients.splitlines()))
        try:
            partial = generation.reports_dir() / f".issue-{report.pk}{generation.PARTIAL_SUFFIX}"
            with translation.override(settings.LANGUAGE_CODE):
                generation.build_file(report, partial, lambda percent: None)
            digest, size = generation.file_digest(partial)
            final = generation.reports_dir() / report.download_name
            partial.replace(final)
            partial = final  # removed again if the transaction fails below
            report.file.name = f"{generation.REPORTS_DIR}/{final.name}"
            report.sha256 = digest
            report.size_bytes = size
            report.save()
        except BaseException:
            if partial is not None:
                partial.unlink(missing_ok=True)
            raise
        storage = report.file.storage
        if old_file and old_file != report.file.name:
            transaction.on_commit(lambda: storage.delete(old_file))
        transaction.on_commit(lambda: notify_officials_issued(report.pk))
    return report


def notify_officials_issued(report_id: int) -> int:
    """E-mail the active officials (Bcc) that a document was issued, with its download link: in
    a national installation the document's province's officials, the Ministry for the national
    document. Each in the language they picked."""
    report = Report.objects.get(pk=report_id)
    national = is_national_document(report.province)
    officials = User.objects.mailed_for(Role.OFFICIAL, report.province)
    if national:
        officials = User.objects.filter(role=Role.MINISTRY, is_active=True).exclude(email="")
    link = portal_link("reports:download", report.pk)
    register = portal_link("reports:register")

    def write():
        names = {
            "issuer": _("Bộ Công Thương") if national else _("Sở Công Thương"),
            "number": report.number_label,
            "date": report.issue_date.strftime("%d/%m/%Y"),
            "subject": document_subject(report),
            "link": link,
            "register": register,
        }
        subject = _("Đã ban hành văn bản số %(number)s: %(subject)s") % names
        body = (
            _(
                "Kính gửi Quý lãnh đạo,\n\n"
                "%(issuer)s đã ban hành văn bản số %(number)s ngày %(date)s: %(subject)s.\n"
                "Tải văn bản (cần đăng nhập):\n%(link)s\n\n"
                "Sổ đăng ký văn bản đi:\n%(register)s\n\n"
                "Cổng thông tin Sản xuất sạch hơn – %(issuer)s"
            )
            % names
        )
        return subject, body

    about = f"report {report_id}: the officials"
    return generation.mail_in_each_language(officials, write, about=about)


def document_subject(report: Report) -> str:
    """The subject line of the register ("trích yếu"); in a national installation with whose
    document it is."""
    subject = _("%(kind)s %(year)s") % {"kind": report.get_kind_display(), "year": report.year}
    return f"{subject} – {report.scope_name}" if report.scope_name else subject


def register_queryset(user):
    """The issued documents `user` reads (a national installation: their province's register,
    every register for the Ministry)."""
    return (
        Report.objects.issued()
        .visible_to(user)
        .select_related("issued_by")
        .order_by("-register_year", "province", "doc_type", "-number")
    )


REGISTER_COLUMNS = [
    gettext_lazy("Năm sổ"),
    gettext_lazy("Số, ký hiệu"),
    gettext_lazy("Ngày ban hành"),
    gettext_lazy("Trích yếu nội dung"),
    gettext_lazy("Định dạng"),
    gettext_lazy("Người ký"),
    gettext_lazy("Chức vụ"),
    gettext_lazy("Nơi nhận"),
    "SHA-256",
    gettext_lazy("Người ban hành"),
]


DATE_FORMAT = "dd/mm/yyyy"  # Vietnamese dates: 05/03/2026


def register_xlsx(user) -> bytes:
    """The outgoing register for the archive: one row per issued document, text that a
    spreadsheet would take for a formula written as text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("SoVanBanDi")
    sheet.append([str(column) for column in REGISTER_COLUMNS])
    ordered = register_queryset(user).order_by("register_year", "province", "doc_type", "number")
    for report in ordered:
        issue_date = WriteOnlyCell(sheet, value=report.issue_date)
        issue_date.number_format = DATE_FORMAT  # as the register page writes it
        row = [
            report.register_year,
            report.number_label,
            issue_date,
            document_subject(report),
            str(report.get_format_display()),
            report.signer_name,
            "\n".join(report.signer_lines),
            # As printed (an issue recorded before the register kept them so too).
            "\n".join(printed_recipients(report.recipient_lines)),
            report.sha256,
            str(report.issued_by or ""),
        ]
        # Every cell by the rule of every XLSX export (xlsx.cell): text without the characters a
        # worksheet cannot hold, and text a spreadsheet would take for a formula ("- Bộ Công
        # Thương;", "-GIÁM ĐỐC") as a text cell with Excel's quote prefix, shown as it is, no "'".
        sheet.append([xlsx.cell(sheet, value) for value in row])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
