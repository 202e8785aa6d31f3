from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from allyship.scim.models import ScimToken
from allyship.scim.services import scim_token_create, scim_token_revoke


class Command(BaseCommand):
    help = "Create (printing it once) or revoke a SCIM bearer token, or list the tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("create", help="create a token and print it once").add_argument("name")
        sub.add_parser("revoke", help="revoke a token by name").add_argument("name")
        sub.add_parser("list", help="list the tokens (never their values)")

    def handle(self, *args, action: str, name: str = "", **options):
        if action == "create":
            try:
                token, raw = scim_token_create(name=name, acting_user=None)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stderr.write(f"SCIM token {token.name!r} created. It is shown only this once:")
            self.stdout.write(raw)
        elif action == "revoke":
            token = ScimToken.objects.filter(name=name).first()
            if token is None:
                raise CommandError(f"No SCIM token is named {name!r}.")
            if not scim_token_revoke(token=token, acting_user=None):
                raise CommandError(f"The SCIM token {name!r} was already revoked.")
            self.stdout.write(f"SCIM token {name!r} revoked.")
        else:
            for token in ScimToken.objects.all():
                self.stdout.write(str(token))
