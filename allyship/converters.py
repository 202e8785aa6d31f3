"""URL path converters. Registered in allyship/urls.py, before any app's URLs are read."""

# The largest value a 64-bit signed primary key column holds (BigAutoField, PostgreSQL's
# bigint, SQLite's INTEGER). A larger id cannot name a row, so it is a 404, not a query.
MAX_ID = 2**63 - 1


class IdConverter:
    """`<id:name>`: a positive database id. Digits beyond the 64-bit range match no URL."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("not a database id")  # Django answers 404 for this URL
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))
