"""The PDF entry point: documents render with the print stylesheet's page furniture, long tables
repeat their headers, landscape works, nothing outside the project's static files is fetched, and
downloads carry safe headers. PDFs are read back with poppler's pdftotext and pdfinfo."""

import copy
import socket
import subprocess

import pytest

from lcspr.core.pdf import (
    BASE_URL,
    ResourceRefused,
    StaticFilesFetcher,
    pdf_response,
    render_pdf,
    render_pdf_in_bounded_memory,
    render_pdf_in_parts,
)

TITLE = "Rapid review: Child A & sibling"
PARTNERSHIP = "Northbridge Safeguarding Children Partnership"

CHRONOLOGY = """{% extends "pdf/base.html" %}
{% block content %}
<h2>Chronology</h2>
<table>
  <thead><tr><th>Date of contact</th><th>Agency</th><th>What happened</th></tr></thead>
  <tbody>
  {% for n in rows %}
    <tr><td>{{ n }} March 2026</td><td>Police</td><td>Chronology entry {{ n }}.</td></tr>
  {% endfor %}
  </tbody>
</table>
{% endblock %}
"""


@pytest.fixture
def templates_dir(tmp_path, settings):
    """A folder searched before templates/, for documents written by a test."""
    directory = tmp_path / "templates"
    directory.mkdir()
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [directory, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    settings.PARTNERSHIP_NAME = PARTNERSHIP
    return directory


@pytest.fixture
def chronology_template(templates_dir):
    (templates_dir / "chronology.html").write_text(CHRONOLOGY)
    return "chronology.html"


def pdf_pages(pdf_bytes, tmp_path):
    """The text of each page, as laid out."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf_bytes)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def pdf_page_sizes(pdf_bytes, tmp_path):
    """(width, height) of each page in points, rounded to the nearest point."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf_bytes)
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(path)], capture_output=True, text=True, check=True
    ).stdout
    # "Page    2 size:  841.89 x 595.276 pts (A4)"
    return [
        (round(float(line.split()[3])), round(float(line.split()[5])))
        for line in info.splitlines()
        if line.startswith("Page ") and " size:" in line
    ]


A4_PORTRAIT = (595, 842)
A4_LANDSCAPE = (842, 595)


def test_every_page_shows_the_title_marking_and_page_n_of_m(chronology_template, tmp_path):
    pages = pdf_pages(
        render_pdf(chronology_template, {"rows": range(1, 41)}, title=TITLE), tmp_path
    )

    assert len(pages) == 2
    first, second = pages
    assert PARTNERSHIP in first
    assert first.count(TITLE) == 2  # the heading and the running header
    assert first.count("OFFICIAL-SENSITIVE") == 2  # top right and bottom left
    assert "Page 1 of 2" in first
    assert TITLE in second
    assert second.count("OFFICIAL-SENSITIVE") == 2
    assert "Page 2 of 2" in second


def test_a_document_rendered_in_parts_numbers_its_pages_across_the_parts(
    chronology_template, tmp_path
):
    """Each part is laid out on its own, reporting progress as it goes; the pages still read
    as one document: "Page n of m" runs on, the running header is on every page and the
    document's heading only on the first."""
    seen = []
    document = render_pdf_in_parts(
        chronology_template,
        {"rows": range(1, 121)},
        rows_key="rows",
        part_size=25,
        title=TITLE,
        progress=lambda done, total: seen.append((done, total)),
    )

    pages = pdf_pages(document, tmp_path)
    assert len(pages) >= 5  # 5 parts of up to 25 rows, each starting a page
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert TITLE in page
        assert page.count("OFFICIAL-SENSITIVE") == 2
    assert PARTNERSHIP in pages[0]
    assert all(PARTNERSHIP not in page for page in pages[1:])
    text = "".join(pages)
    assert all(f"Chronology entry {n}." in text for n in range(1, 121))
    assert seen == [(done, 6) for done in range(7)]  # 5 parts, then the pages written


def test_a_document_too_long_to_lay_out_at_once_reads_as_one_document(
    chronology_template, tmp_path
):
    """Each part is written on its own and the parts joined with pypdf (read back with pypdf
    here): the page numbers and the running header run on across the joins, the heading is on
    the first page only, every row is there once, and the parts may come from a generator."""
    import io

    from pypdf import PdfReader

    seen = []

    def chunks():
        for start in range(1, 121, 30):
            yield list(range(start, start + 30))

    document = render_pdf_in_bounded_memory(
        chronology_template,
        {},
        rows_key="rows",
        chunks=chunks(),
        title=TITLE,
        progress=seen.append,
    )

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(document)).pages]
    assert len(pages) >= 4  # 4 parts, each starting a page
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert TITLE in page
        assert page.count("OFFICIAL-SENSITIVE") == 2
    assert PARTNERSHIP in pages[0]
    assert all(PARTNERSHIP not in page for page in pages[1:])
    text = "".join(pages)
    assert all(text.count(f"Chronology entry {n}.") == 1 for n in range(1, 121))
    assert seen == [1, 2, 3, 4]


def test_a_long_document_with_no_rows_still_has_its_one_numbered_page(
    chronology_template, tmp_path
):
    document = render_pdf_in_bounded_memory(
        chronology_template, {}, rows_key="rows", chunks=iter(()), title=TITLE
    )
    pages = pdf_pages(document, tmp_path)
    assert len(pages) == 1 and "Page 1 of 1" in pages[0] and PARTNERSHIP in pages[0]


def test_a_title_cannot_break_out_of_the_numbered_pages_style(chronology_template, tmp_path):
    title = 'Child "A" </style><p>injected'
    pages = pdf_pages(
        render_pdf_in_parts(
            chronology_template, {"rows": [1]}, rows_key="rows", part_size=10, title=title
        ),
        tmp_path,
    )
    assert title in pages[0].splitlines()[0]  # the running header, exactly as written
    assert "Page 1 of 1" in pages[0]


def test_a_long_table_repeats_its_header_on_the_next_page(chronology_template, tmp_path):
    first, second = pdf_pages(
        render_pdf(chronology_template, {"rows": range(1, 41)}, title=TITLE), tmp_path
    )

    assert "Chronology entry 40." in second
    assert "Chronology entry 40." not in first
    for header in ("Date of contact", "Agency", "What happened"):
        assert header in first
        assert header in second


def test_documents_are_a4_portrait_unless_asked_for_landscape(chronology_template, tmp_path):
    portrait = render_pdf(chronology_template, {"rows": range(3)}, title=TITLE)
    landscape = render_pdf(chronology_template, {"rows": range(3)}, title=TITLE, landscape=True)

    assert pdf_page_sizes(portrait, tmp_path) == [A4_PORTRAIT]
    assert pdf_page_sizes(landscape, tmp_path) == [A4_LANDSCAPE]


def test_a_landscape_section_gets_landscape_pages_of_its_own(templates_dir, tmp_path):
    (templates_dir / "wide.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}'
        "<p>Before.</p>"
        '<section class="landscape"><h2>Merged chronology</h2><p>Wide.</p></section>'
        "<p>After.</p>{% endblock %}"
    )
    document = render_pdf("wide.html", {}, title=TITLE)

    assert pdf_page_sizes(document, tmp_path) == [A4_PORTRAIT, A4_LANDSCAPE, A4_PORTRAIT]
    assert "Merged chronology" in pdf_pages(document, tmp_path)[1]


def test_it_fetches_only_the_print_stylesheet_and_still_renders(
    templates_dir, tmp_path, monkeypatch
):
    # A stylesheet that would put visible text on the page if it were ever read.
    leaky_css = tmp_path / "leak.css"
    leaky_css.write_text('main::before { content: "LEAKED" }')
    # Something listening locally: a fetch would leave a connection waiting here.
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    local_url = f"http://127.0.0.1:{listener.getsockname()[1]}/x.png"
    (templates_dir / "hostile.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}'
        '<link rel="stylesheet" href="file:///etc/hostname">'
        f'<link rel="stylesheet" href="file://{leaky_css}">'
        '<img src="file:///etc/passwd" alt="">'
        '<img src="http://127.0.0.1:1/x.png" alt="">'
        f'<img src="{local_url}" alt="">'
        "<p>Body text.</p>{% endblock %}"
    )
    outcomes = {}
    fetch = StaticFilesFetcher.fetch

    def recording_fetch(self, url, headers=None):
        try:
            response = fetch(self, url, headers)
        except ResourceRefused:
            outcomes[url] = "refused"
            raise
        outcomes[url] = "served"
        return response

    monkeypatch.setattr(StaticFilesFetcher, "fetch", recording_fetch)

    (page,) = pdf_pages(render_pdf("hostile.html", {}, title=TITLE), tmp_path)

    assert outcomes == {
        f"{BASE_URL}static/pdf/print.css": "served",
        "file:///etc/hostname": "refused",
        f"file://{leaky_css}": "refused",
        "file:///etc/passwd": "refused",
        "http://127.0.0.1:1/x.png": "refused",
        local_url: "refused",
    }
    assert "Body text." in page
    assert "OFFICIAL-SENSITIVE" in page  # the print stylesheet was applied
    assert "LEAKED" not in page
    with pytest.raises(BlockingIOError):
        listener.accept()
    listener.close()


def test_the_fetcher_serves_static_files_without_collectstatic():
    response = StaticFilesFetcher().fetch(f"{BASE_URL}static/pdf/print.css?v=2")

    assert response.content_type == "text/css"
    assert b"OFFICIAL-SENSITIVE" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///etc/hostname",
        "http://127.0.0.1:1/x.png",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/static/pdf/print.css",
        "data:text/css,body{}",
        f"{BASE_URL}media/evidence.pdf",
        f"{BASE_URL}static/../../etc/passwd",
        f"{BASE_URL}static/%2e%2e/%2e%2e/lcspr/settings.py",
        f"{BASE_URL}static/pdf/missing.css",
        f"{BASE_URL}static/pdf/",
    ],
)
def test_the_fetcher_refuses_anything_but_a_static_file(url):
    with pytest.raises(ResourceRefused):
        StaticFilesFetcher().fetch(url)


def test_a_download_is_an_unsniffed_uncached_attachment():
    response = pdf_response(b"%PDF-1.7 test", "Rapid review terms of reference.pdf")

    assert response.content == b"%PDF-1.7 test"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Rapid-review-terms-of-reference.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Length"] == "13"


@pytest.mark.parametrize(
    ("filename", "sent_as"),
    [
        ('Child "A"\r\nSet-Cookie: x=1', "Child-A-Set-Cookie-x-1.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\reports\\Final.PDF", "Final.pdf"),
        ("Révïew – Child Ä.pdf", "Review-Child-A.pdf"),
        ("", "document.pdf"),
        (".pdf", "document.pdf"),
    ],
)
def test_a_download_filename_is_made_safe(filename, sent_as):
    response = pdf_response(b"%PDF", filename)

    assert response["Content-Disposition"] == f'attachment; filename="{sent_as}"'
