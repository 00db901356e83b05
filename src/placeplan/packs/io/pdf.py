"""HTML to PDF with WeasyPrint: paged media CSS gives the page numbers and running headers; the
PDF is tagged (headings, tables, lists and figures as structure, for screen readers) and carries
its headings as bookmarks. Pure: HTML in, bytes out. The HTML must ask for nothing outside itself
(its charts are SVG images held as data inside it): the fetcher reads `data:` addresses only, so
no file or network is touched whatever the HTML says."""

from __future__ import annotations

from weasyprint import HTML, URLFetcher  # type: ignore[import-untyped,unused-ignore]


def html_to_pdf(html: str) -> bytes:
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = HTML(string=html, url_fetcher=fetcher, base_url="about:blank")
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf
