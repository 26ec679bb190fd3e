"""Renders a return shipping label as a real one-page PDF: sender, recipient, a Code 128 barcode
of the tracking number and the return reference (reportlab, no external service)."""
import io

from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas

from .base import LabelAddress

LABEL_SIZE = landscape((4 * inch, 6 * inch))  # the usual 4×6 in thermal label


def _address_lines(address: LabelAddress) -> list[str]:
    city_line = f"{address.city}, {address.state} {address.zip}".strip(", ")
    return [line for line in (address.name, address.line1, address.line2, city_line, address.country) if line]


def render_label_pdf(*, reference: str, tracking_code: str, carrier: str, from_address: LabelAddress,
                     to_address: LabelAddress, contents: list[str]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=LABEL_SIZE, pageCompression=0)  # small either way; text stays greppable
    pdf.setTitle(f"Return label {reference}")
    pdf.setAuthor("Vantage Commerce returns")
    width, height = LABEL_SIZE
    margin = 0.25 * inch

    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(margin, height - margin - 10, f"{carrier} — PREPAID RETURN")
    pdf.setFont("Helvetica", 8)
    pdf.drawRightString(width - margin, height - margin - 10, f"Ref {reference}")

    text = pdf.beginText(margin, height - margin - 30)
    text.setFont("Helvetica-Bold", 7)
    text.textLine("FROM")
    text.setFont("Helvetica", 8)
    for line in _address_lines(from_address):
        text.textLine(line)
    pdf.drawText(text)

    text = pdf.beginText(width / 2, height - margin - 30)
    text.setFont("Helvetica-Bold", 7)
    text.textLine("SHIP TO")
    text.setFont("Helvetica-Bold", 10)
    for line in _address_lines(to_address):
        text.textLine(line)
    pdf.drawText(text)

    barcode = code128.Code128(tracking_code, barHeight=0.7 * inch, barWidth=1.1)
    barcode.drawOn(pdf, margin, margin + 0.45 * inch)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(margin + 10, margin + 0.3 * inch, f"TRACKING # {tracking_code}")

    if contents:
        pdf.setFont("Helvetica", 6)
        pdf.drawString(margin, margin + 0.1 * inch, ("Contents: " + "; ".join(contents))[:120])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
