from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from cctv.links import admin_url
from cctv.two_factor.services import create_enrolment_link


class Command(BaseCommand):
    help = (
        "Print a one-time enrolment link for two-step sign-in (e.g. for the first superuser, who has no "
        "administrator to ask). Hand it over in person; it is valid for CCTV_ENROLMENT_LINK_HOURS."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--base-url", default="", help="default: WAGTAILADMIN_BASE_URL, else the default site (Settings → Sites)"
        )

    def handle(self, *args, username, base_url, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account {username!r}")
        issued = create_enrolment_link(user=user)
        path = f"{reverse('cctv_two_factor_enrol')}?key={issued.token}"
        self.stdout.write(f"{base_url.rstrip('/')}{path}" if base_url else admin_url(path))
        self.stdout.write(f"valid until {issued.link.expires_at.isoformat()}")
