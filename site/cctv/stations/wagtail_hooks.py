from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cctv.stations.models import Station


class StationViewSet(SnippetViewSet):
    model = Station
    icon = "site"
    menu_label = _("Stations")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name_th", "code", "district", "active", "recorder_retention_days"]
    list_filter = ["active"]
    search_fields = ["name_th", "name_en", "district", "code"]
    # The database search backend failed on this list (its SQLite full-text query met the model's ordering, and
    # "code" was no SearchField): a municipality has tens of stations, which the ORM searches as fast.
    search_backend_name = None


register_snippet(StationViewSet)
