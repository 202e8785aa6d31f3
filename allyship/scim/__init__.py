"""SCIM 2.0 provisioning (RFC 7643/7644) at /scim/v2/: Users, Groups (departments) and the
discovery endpoints, for an identity provider's joiners, movers and leavers.

What lives here: bearer tokens (`models.ScimToken`, stored hashed), the SCIM links of people
and departments (`ScimUser`, `ScimGroup`), the mapping to and from the protocol models of
scim2-models (`resources`), the writes (`services`, each audited) and the views.

May import: allyship.models, allyship.services, allyship.permissions and
learning.assignments (so rule-based assignments reach people who join through SCIM);
nothing else of learning or quizzes.
"""
