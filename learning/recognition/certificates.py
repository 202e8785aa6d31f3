"""Course certificates: issuing them with an unguessable code, and drawing them as PDF.

Anyone holding a certificate's code can check it at /verify/<code>/, which shows only the
person's name, the course and the date. Codes are 16 characters from a 31-character alphabet
without look-alikes (about 79 bits from `secrets`), so they cannot be guessed or enumerated.
"""

import io
import secrets
from functools import cache
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from learning.models import Certificate

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read aloud
CODE_LENGTH = 16
CODE_GROUP = 4


def certificate_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def certificate_code_normalise(text: str) -> str:
    """A code as typed or printed (any case, with dashes or spaces) as stored."""
    return "".join(text.split()).replace("-", "").upper()


def certificate_code_display(code: str) -> str:
    """Codes are shown in groups of four, e.g. ``7KQ2-M9XD-4TPA-H3WZ``."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def certificate_issue(*, user, course) -> Certificate:
    """Issue the learner's certificate for a completed course (once); returns it.

    Side effects: one Certificate row with a new code. Called inside the transaction that
    completes the course; a second call returns the certificate already issued.
    """
    with transaction.atomic():
        existing = Certificate.objects.filter(user=user, course=course).first()
        if existing is not None:
            return existing
        for _ in range(5):
            try:
                with transaction.atomic():
                    return Certificate.objects.create(
                        user=user, course=course, code=certificate_code_new()
                    )
            except IntegrityError:
                # Either a concurrent request issued it first, or (vanishingly rarely) the
                # code was taken: return the one issued, or try a fresh code.
                existing = Certificate.objects.filter(user=user, course=course).first()
                if existing is not None:
                    return existing
        raise IntegrityError("Could not find a free certificate code.")


# PDF ----------------------------------------------------------------------------------------

# A font with wide Unicode coverage when the system has one, else the Vera font reportlab ships.
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
)


@cache
def _fonts() -> tuple[str, str]:
    """Register and return (regular, bold) font names, once per process."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for regular, bold_name in FONT_CANDIDATES:
        regular_path = Path(regular)
        bold_path = regular_path.with_name(bold_name)
        if regular_path.exists() and bold_path.exists():
            break
    else:
        fonts = Path(reportlab.__file__).parent / "fonts"
        regular_path, bold_path = fonts / "Vera.ttf", fonts / "VeraBd.ttf"
    pdfmetrics.registerFont(TTFont("CertificateRegular", str(regular_path)))
    pdfmetrics.registerFont(TTFont("CertificateBold", str(bold_path)))
    return "CertificateRegular", "CertificateBold"


def _fitted_size(text: str, font: str, size: float, width: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > 10 and stringWidth(text, font, size) > width:
        size -= 1
    return size


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """The certificate as a one-page A4 landscape PDF: name, course, date, verification code."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    regular, bold = _fonts()
    width, height = landscape(A4)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    name = certificate.user.full_name or certificate.user.email
    course = certificate.course.title
    issued = date_format(timezone.localtime(certificate.issued_at), "j F Y")
    code = certificate_code_display(certificate.code)
    pdf.setTitle(f"Certificate: {course}, {name}")
    pdf.setAuthor("Allyship")
    pdf.setSubject(f"{name} completed {course} on {issued}. Verification code {code}.")
    pdf.setCreator("Allyship")

    ink, brand, muted = HexColor("#1d1b26"), HexColor("#5b2a86"), HexColor("#4a4658")
    margin = 28
    pdf.setStrokeColor(brand)
    pdf.setLineWidth(6)
    pdf.rect(margin, margin, width - 2 * margin, height - 2 * margin)
    pdf.setLineWidth(1.5)
    pdf.rect(margin + 10, margin + 10, width - 2 * margin - 20, height - 2 * margin - 20)

    centre = width / 2
    usable = width - 2 * margin - 80
    lines = (
        (height - 120, "Allyship", bold, 20, brand),
        (height - 170, "Certificate of completion", bold, 34, ink),
        (height - 225, "This certifies that", regular, 16, muted),
        (height - 275, name, bold, 32, ink),
        (height - 320, "completed the course", regular, 16, muted),
        (height - 365, course, bold, 26, ink),
        (height - 405, f"on {issued}", regular, 16, ink),
    )
    for y, text, font, size, colour in lines:
        pdf.setFillColor(colour)
        pdf.setFont(font, _fitted_size(text, font, size, usable))
        pdf.drawCentredString(centre, y, text)

    pdf.setFillColor(muted)
    pdf.setFont(regular, 11)
    pdf.drawCentredString(centre, margin + 62, f"Verification code: {code}")
    pdf.setFont(regular, _fitted_size(verify_url, regular, 11, usable))
    pdf.drawCentredString(centre, margin + 44, f"Check it at {verify_url}")
    pdf.linkURL(verify_url, (margin, margin + 36, width - margin, margin + 76), relative=0)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
