"""Small Office files for upload tests: a minimal real Word document and Excel workbook, and
copies of them carrying each part the upload check refuses (macros, a macro-enabled content
type, an external template or workbook link, an embedded object, a DOCTYPE, a damaged part), or
allows (a hyperlink)."""

import io
import zipfile

import openpyxl

from tests.core.test_documents import W_NS, docx

RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


def xlsx(*rows) -> bytes:
    """A real Excel workbook, as Excel-compatible software writes it, with these rows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Chronology"
    sheet.append(["Date", "Time", "Description"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_parts(package: bytes, parts: dict[str, str | bytes | None]) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info.filename))
        for name, content in parts.items():
            if content is not None:
                target.writestr(name, content)
    return buffer.getvalue()


def relationships(*relationships: str) -> str:
    return f'<?xml version="1.0"?><Relationships xmlns="{RELS}">{"".join(relationships)}</Relationships>'


def relationship(kind: str, target: str, *, external: bool = False, rid: str = "rId1") -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}"{mode}/>'


def word() -> bytes:
    return docx("A fictional review's overview report.")


def content_types(main: str) -> str:
    return (
        f'<?xml version="1.0"?><Types xmlns="{TYPES}">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
    )


def unsafe_files() -> dict[str, tuple[str, bytes, str]]:
    """name -> (file name, content, what the refusal says)."""
    sheet = xlsx(["03/04/2025", None, "Home visit"])
    settings = (
        f'<?xml version="1.0"?><w:settings xmlns:w="{W_NS}" xmlns:r="{REL}">'
        '<w:attachedTemplate r:id="rId1"/></w:settings>'
    )
    return {
        "a Word document with macros": (
            "report.docx",
            with_parts(word(), {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 fictional macro"}),
            "it contains macros. Save it as a Word document without macros (.docx)",
        ),
        "a workbook with macros": (
            "results.xlsx",
            with_parts(sheet, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fictional macro"}),
            "it contains macros. Save it as an Excel workbook without macros (.xlsx)",
        ),
        "a macro-enabled content type": (
            "report.docx",
            with_parts(
                word(),
                {
                    "[Content_Types].xml": content_types(
                        "application/vnd.ms-word.document.macroEnabled.main+xml"
                    )
                },
            ),
            "it contains macros. Save it as a Word document without macros (.docx)",
        ),
        "an attached template on a remote server": (
            "report.docx",
            with_parts(
                word(),
                {
                    "word/settings.xml": settings,
                    "word/_rels/settings.xml.rels": relationships(
                        relationship(
                            "attachedTemplate",
                            "https://templates.example.invalid/report.dotm",
                            external=True,
                        )
                    ),
                },
            ),
            "it is linked to a template kept outside the file",
        ),
        "a link to another workbook": (
            "results.xlsx",
            with_parts(
                sheet,
                {
                    "xl/externalLinks/externalLink1.xml": "<externalLink/>",
                    "xl/externalLinks/_rels/externalLink1.xml.rels": relationships(
                        relationship(
                            "externalLinkPath",
                            "file:///C:/Fictional/budget.xlsx",
                            external=True,
                        )
                    ),
                },
            ),
            "it is linked to another workbook kept outside the file",
        ),
        "an embedded object": (
            "report.docx",
            with_parts(word(), {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0 fictional"}),
            "it contains an embedded object or control",
        ),
        "a DOCTYPE": (
            "report.docx",
            with_parts(
                word(),
                {
                    "[Content_Types].xml": '<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a '
                    f'"fictional">]><Types xmlns="{TYPES}"/>'
                },
            ),
            "it contains a DOCTYPE declaration, which Word never writes",
        ),
        "a damaged part": (
            "report.docx",
            with_parts(
                word(),
                {"word/_rels/document.xml.rels": f'<Relationships xmlns="{RELS}"><Relationsh'},
            ),
            "part of it (word/_rels/document.xml.rels) is damaged",
        ),
    }


def with_a_hyperlink() -> bytes:
    """A Word document with an ordinary link to a web page: allowed."""
    return with_parts(
        word(),
        {
            "word/_rels/document.xml.rels": relationships(
                relationship("hyperlink", "https://www.example.org/guidance", external=True)
            )
        },
    )
