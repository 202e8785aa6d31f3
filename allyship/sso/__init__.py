"""Single sign-on with a company's identity provider (django-allauth's OpenID Connect and
SAML providers), configured by HR in the Django admin: one `IdentityProvider` per email
domain, pointing at an allauth `SocialApp` (issuer and client, or SAML metadata).

What lives here: the per-domain settings (`models`), the allauth adapters that match people
by verified email and create unknown people only when allowed (`adapter`), the login view
that sends an SSO-only domain to its provider (`views`), and sign-in failure logging.

May import: allyship.models, allyship.services, allyship.permissions, allyship.forms and
learning.assignments (a person created at sign-in gets their department's rules); nothing
else of learning or quizzes.
"""
