"""The Word file's setup for the DOCX report (reports/files/docx.py): A4 with the margins of
Nghị định 30/2020, Times New Roman everywhere in Vietnamese, the page number from page 2, the
file's properties, and the OOXML details python-docx has no API for (borderless tables, the
heading's rules), each element inserted where the schema's sequence puts it."""

from django.utils import timezone
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

from core.text import printable

from .content import ReportContent

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
BODY_PT = 13


def mm(millimetres: int) -> Twips:
    """`millimetres` in whole twips rounded up: Word keeps the page's sizes in twips, and
    python-docx truncates (Mm(15) is 850 twips, 14.99 mm, under the decree's 15 mm margin); 15 mm
    is 851 twips, A4 11906 × 16838 as Word writes it."""
    return Twips(-(-millimetres * 7200 // 127))  # 1440 twips an inch of 25.4 mm


def page_setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = mm(210), mm(297)
    section.top_margin, section.bottom_margin = mm(20), mm(20)
    section.left_margin, section.right_margin = mm(30), mm(15)
    section.header_distance = mm(10)
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Table Grid"):
        style = document.styles[name]
        style.font.name = FONT
        style.font.color.rgb = None
        rpr = style.element.get_or_add_rPr()
        if rpr.find(qn("w:rFonts")) is None:
            rpr.append(OxmlElement("w:rFonts"))
    _times_everywhere(document)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        style.font.size = Pt(BODY_PT)
        style.font.bold = True
        style.font.italic = False
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(6)
    _page_number_header(section)


def _times_everywhere(document) -> None:
    """Times New Roman in the document defaults and every style (the template's defaults name
    the theme's Calibri/Cambria, and a few styles Courier), in Vietnamese for Word's proofing."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        default_rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if default_rpr is not None and default_rpr.find(qn("w:rFonts")) is None:
            default_rpr.insert(0, OxmlElement("w:rFonts"))
        for language in styles.iter(qn("w:lang")):
            language.set(qn("w:val"), LANGUAGE)
            language.set(qn("w:eastAsia"), LANGUAGE)
    # Word 2010's copy of the styles (the template's Calibri theme fonts): Word reads styles.xml.
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rid)
    for fonts in styles.iter(qn("w:rFonts")):
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), FONT)


def properties(document, content: ReportContent) -> None:
    """The file's properties name the document and its issuing body, not the library."""
    properties = document.core_properties
    heading = content.heading
    properties.title = printable(content.title)
    properties.author = " – ".join(
        part for part in (heading.superior, heading.issuing_body) if part
    )
    properties.last_modified_by = properties.author
    properties.comments = ""
    properties.subject = ""
    properties.keywords = ""
    properties.language = LANGUAGE
    properties.created = properties.modified = timezone.now()
    properties.revision = 1


def _page_number_header(section) -> None:
    """The page number centred in the header, none on the first page."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header of its own
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(BODY_PT)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


# The elements that follow w:tblBorders in w:tblPr and w:pBdr in w:pPr (ECMA-376 CT_TblPr,
# CT_PPr): a border is inserted before the first of them present, never appended after w:jc.
TBLPR_AFTER_BORDERS = (
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)
PPR_AFTER_BORDER = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    # Where the schema puts it (CT_TblPr is a sequence: Word may refuse a part out of order).
    table._tbl.tblPr.insert_element_before(borders, *TBLPR_AFTER_BORDERS)


def rule_below(paragraph) -> None:
    """A bottom border under the paragraph's text (the heading's rules)."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.insert_element_before(border, *PPR_AFTER_BORDER)
