"""A fixed-window request counter in the cache framework, for actions that send email to
someone who is not signed in (password reset). Sign-in itself is throttled by django-axes."""

import hashlib

from django.core.cache import cache


def throttle_allows(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request for `key` in `scope`; False once more than `limit` arrived within the
    window. The key is hashed, so an email address is never stored in the cache as text."""
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()
    cache_key = f"throttle:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
