"""Letters and documents as PDF (WeasyPrint), made one way for every page that offers one."""

from __future__ import annotations

from django.http import HttpResponse

PDF_NEEDS_PANGO = "PDF documents need the pango library on the server (make installs it)."


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot load its system libraries on this server."""


def pdf_from_html(html: str, base_url: str | None = None) -> bytes:
    try:
        from weasyprint import HTML  # needs the pango library (make installs it)
    except OSError as missing:
        raise PdfUnavailable(PDF_NEEDS_PANGO) from missing
    pdf = HTML(string=html, base_url=base_url).write_pdf()
    assert pdf is not None  # write_pdf without a target returns the bytes
    return bytes(pdf)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def pdf_unavailable_response(unavailable: PdfUnavailable) -> HttpResponse:
    return HttpResponse(str(unavailable), status=503, content_type="text/plain")
