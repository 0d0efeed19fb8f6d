"""Reading the text of uploaded documents: every part of a Word document a reader sees (body,
tables, headers, footers, notes, comments, tracked deletions, properties), with runs joined so a
name split by formatting is whole again; PDFs page by page; broken files, zip bombs and XML
entity tricks refused with a message."""

import copy
import io
import zipfile

import pytest

from lcspr.core import documents
from lcspr.core.documents import DocumentError, extract_text
from lcspr.core.pdf import render_pdf

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*runs: str) -> str:
    """A paragraph of runs; plain strings become text runs."""
    return "<w:p>" + "".join(r if r.startswith("<") else run(r) for r in runs) + "</w:p>"


def docx(*paragraphs: str, parts: dict[str, str] | None = None) -> bytes:
    """The bytes of a minimal Word document with `paragraphs` in its body and other `parts`
    (name -> XML) beside it."""
    body = "".join(p if p.startswith("<") else para(p) for p in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>',
        )
        for name, xml in (parts or {}).items():
            archive.writestr(name, xml)
    return buffer.getvalue()


def part(root: str, inner: str) -> str:
    return f'<?xml version="1.0"?><w:{root} xmlns:w="{W_NS}">{inner}</w:{root}>'


# --- Word documents -------------------------------------------------------------------------


def test_it_reads_each_paragraph_in_order_numbered_from_one():
    data = docx("The review began in March.", "", "Agencies met twice.")
    assert extract_text(data, "report.docx") == [
        ("Paragraph 1", "The review began in March."),
        ("Paragraph 2", "Agencies met twice."),
    ]


def test_it_joins_a_name_split_across_runs_by_formatting():
    data = docx(para("Seen by Ja", "<w:r><w:rPr><w:b/></w:rPr><w:t>ne Pla</w:t></w:r>", "ce."))
    assert extract_text(data, "report.docx") == [("Paragraph 1", "Seen by Jane Place.")]


def test_tabs_and_line_breaks_become_spaces():
    data = docx(para(run("Jane"), "<w:r><w:tab/></w:r>", run("Place"), "<w:r><w:br/></w:r>", "x"))
    assert extract_text(data, "report.docx") == [("Paragraph 1", "Jane Place x")]


def test_it_reads_table_cells_and_text_boxes():
    table = f"<w:tbl><w:tr><w:tc>{para('In a cell')}</w:tc></w:tr></w:tbl>"
    text_box = para(
        "Before ",
        f"<w:r><w:txbxContent>{para('In a box')}</w:txbxContent></w:r>",
        "after",
    )
    texts = [text for _, text in extract_text(docx(table, text_box), "report.docx")]
    assert texts == ["In a cell", "Before after", "In a box"]


def test_it_reads_headers_footers_footnotes_endnotes_and_comments():
    parts = {
        "word/header1.xml": part("hdr", para("Header words")),
        "word/footer2.xml": part("ftr", para("Footer words")),
        "word/footnotes.xml": part(
            "footnotes",
            f'<w:footnote w:type="separator" w:id="-1">{para("")}</w:footnote>'
            f'<w:footnote w:id="3">{para("Footnote words")}</w:footnote>',
        ),
        "word/endnotes.xml": part(
            "endnotes", f'<w:endnote w:id="1">{para("End words")}</w:endnote>'
        ),
        "word/comments.xml": part(
            "comments",
            f'<w:comment w:id="0" w:author="Reviewer">{para("Comment words")}</w:comment>',
        ),
    }
    segments = extract_text(docx("Body words", parts=parts), "report.docx")
    assert segments == [
        ("Paragraph 1", "Body words"),
        ("Header", "Header words"),
        ("Footer", "Footer words"),
        ("Footnote 3", "Footnote words"),
        ("Endnote 1", "End words"),
        ("Comment 1", "Comment words"),
    ]


def test_tracked_deletions_are_read_because_the_file_still_holds_them():
    deleted = "<w:del><w:r><w:delText>Old wording</w:delText></w:r></w:del>"
    segments = extract_text(docx(para("New wording", deleted)), "report.docx")
    assert segments == [
        ("Paragraph 1", "New wording"),
        ("Paragraph 1 (tracked deletion)", "Old wording"),
    ]


def test_it_reads_the_document_properties():
    core = (
        '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
        'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>Review of Child T</dc:title></cp:coreProperties>"
    )
    segments = extract_text(docx("Body", parts={"docProps/core.xml": core}), "REPORT.DOCX")
    assert ("Document properties", "Review of Child T") in segments


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip at all", b"PK\x03\x04" + b"\x00" * 60],
    ids=["empty", "text", "truncated zip"],
)
def test_it_refuses_a_file_that_is_not_a_word_document(data):
    with pytest.raises(DocumentError, match="not a valid Word"):
        extract_text(data, "report.docx")


def test_it_refuses_a_zip_without_a_document_part():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(DocumentError, match="not a Word"):
        extract_text(buffer.getvalue(), "report.docx")


def test_it_refuses_damaged_xml():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body>")
    with pytest.raises(DocumentError, match="XML is damaged"):
        extract_text(buffer.getvalue(), "report.docx")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_it_refuses_a_doctype_so_no_entity_expands(encoding):
    bomb = (
        f'<?xml version="1.0" encoding="{encoding}"?>'
        '<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{para("&lol2;")}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", bomb.encode(encoding))
    with pytest.raises(DocumentError, match="DOCTYPE"):
        extract_text(buffer.getvalue(), "report.docx")


def test_it_refuses_a_zip_bomb_before_expanding_it(monkeypatch):
    monkeypatch.setattr(documents, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", part("document", "<w:body/>"))
        archive.writestr("word/media/padding.bin", b"\x00" * (2 * 1024 * 1024))
    with pytest.raises(DocumentError, match="expands to more than 1 MB"):
        extract_text(buffer.getvalue(), "report.docx")


def test_it_refuses_a_part_compressed_suspiciously_tightly():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", part("document", "<w:body/>"))
        archive.writestr("word/media/padding.bin", b"\x00" * (5 * 1024 * 1024))
    with pytest.raises(DocumentError, match="compressed suspiciously tightly"):
        extract_text(buffer.getvalue(), "report.docx")


def test_it_refuses_other_kinds_of_file():
    with pytest.raises(DocumentError, match="Only Word"):
        extract_text(b"hello", "report.txt")


# --- PDFs -----------------------------------------------------------------------------------

PAGES = """{% extends "pdf/base.html" %}
{% block content %}
{% for text in pages %}<h2{% if not forloop.first %} style="break-before: page"{% endif %}>Section {{ forloop.counter }}</h2>
<p>{{ text }}</p>{% endfor %}
{% endblock %}
"""


@pytest.fixture
def pdf_template(tmp_path, settings):
    directory = tmp_path / "templates"
    directory.mkdir()
    (directory / "pages.html").write_text(PAGES)
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [directory, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    return "pages.html"


def test_it_reads_a_pdf_page_by_page(pdf_template):
    data = render_pdf(
        pdf_template, {"pages": ["Agencies met twice.", "Jane Place was seen."]}, title="Report"
    )
    segments = extract_text(data, "report.pdf")
    assert [location for location, _ in segments] == ["Page 1", "Page 2"]
    assert "Agencies met twice." in segments[0][1]
    assert "Jane Place was seen." in segments[1][1]


def test_it_refuses_a_damaged_pdf():
    with pytest.raises(DocumentError, match="PDF is damaged|not a PDF"):
        extract_text(b"%PDF-1.7\n garbage", "report.pdf")


def test_it_refuses_a_file_named_pdf_that_is_not_one():
    with pytest.raises(DocumentError, match="not a PDF"):
        extract_text(b"PK\x03\x04", "report.pdf")


def test_it_refuses_a_pdf_locked_with_a_password(pdf_template):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(
        clone_from=PdfReader(
            io.BytesIO(render_pdf(pdf_template, {"pages": ["Secret"]}, title="Report"))
        )
    )
    writer.encrypt("open-sesame")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(DocumentError, match="password"):
        extract_text(buffer.getvalue(), "report.pdf")
