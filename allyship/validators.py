"""Validators shared by the models, forms and the people import."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

SINGLE_LINE_MESSAGE = "Keep this on one line: line breaks and control characters are not allowed."


@deconstructible
class SingleLineValidator:
    """Refuse CR, LF and every other control character (Unicode category Cc, and the line
    and paragraph separators). Names and titles end up in email headers (a nudge's subject,
    the To line), where a line break would stop the email from being sent at all."""

    message = SINGLE_LINE_MESSAGE
    code = "single_line"

    def __call__(self, value: str) -> None:
        if not is_single_line(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SingleLineValidator)

    def __hash__(self) -> int:
        return hash(self.code)


def is_single_line(value: str) -> bool:
    return not any(
        unicodedata.category(char) == "Cc" or char in "\u2028\u2029\x85" for char in str(value)
    )


validate_single_line = SingleLineValidator()
