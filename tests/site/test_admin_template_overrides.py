"""The copies of Wagtail's admin templates in templates/wagtailadmin/ (docs/decisions/0015): each was made from the
Wagtail file whose SHA-256 is kept here, so an upgrade that changes that file fails until the copy is made again;
each is the one Django loads, and each shows the Thai where Wagtail writes English."""

import hashlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
import wagtail.admin
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from wagtail.admin.forms.search import SearchForm

# The Wagtail file each copy was made from (Wagtail 7.4.4) and its SHA-256. When one fails: copy Wagtail's new
# file over ours, translate its English words again as the old copy did, and put the new hash here.
UPSTREAM = {
    "wagtailadmin/home.html": "7eb3ee7b5a9d1355b79a97fdc4c6a9c8612821bb1cdccf24efdd7a36c827c17d",
    "wagtailadmin/shared/header.html": "37d78005e66127118fc8e9eee75c7d8d52aed5a3d3b36696285a176b5b5ba60c",
    "wagtailadmin/shared/headers/_actions.html": "facea723b6b917627f718d47a945c79fabcb1cbc516983c66cb6801b6a9a1557",
    "wagtailadmin/tables/cell.html": "21f16d57ba0da4771f34099f4455a58893490946f439bd7b8b6cd5e6aaa29a59",
    "wagtailadmin/tables/boolean_cell.html": "f52d1f7945b2b176e1921c5014774ceddd883008e0be68a4e3e964cb73e52619",
    "wagtailadmin/reports/aging_pages_results.html": "b982c1f93a7eed20615ad63252d65b9e81a133d716a9e3b4b99e9e81c905dba8",
    "wagtailadmin/shared/human_readable_date.html": "924b86164bc546c2482e759e26e6939c656e1f02b3e2631b1fa47ca0bcb798d6",
}
WAGTAIL_TEMPLATES = Path(wagtail.admin.__file__).parent / "templates"
OURS = settings.BASE_DIR / "templates"


@pytest.fixture
def thai():
    with translation.override("th"):
        yield


@pytest.mark.parametrize("name", UPSTREAM)
def test_each_copy_was_made_from_the_installed_wagtail_file(name):
    digest = hashlib.sha256((WAGTAIL_TEMPLATES / name).read_bytes()).hexdigest()
    assert digest == UPSTREAM[name], (
        f"Wagtail's {name} changed: copy it again into templates/{name}, translate its words, update UPSTREAM"
    )


def test_every_copy_of_a_wagtail_template_is_guarded():
    copies = {str(path.relative_to(OURS)) for path in (OURS / "wagtailadmin").rglob("*.html")}
    assert copies == set(UPSTREAM)


@pytest.mark.parametrize("name", UPSTREAM)
def test_django_loads_the_copy_not_wagtails(name):
    assert Path(get_template(name).origin.name) == OURS / name


@pytest.mark.parametrize(("value", "title"), [(True, "ใช่"), (False, "ไม่ใช่"), (None, "ไม่ทราบ")])
def test_a_yes_or_no_cell_is_titled_in_thai(thai, value, title):
    cell = render_to_string("wagtailadmin/tables/boolean_cell.html", {"value": value, "column": None})
    assert re.search(rf'<span class="w-sr-only">\s*{title}\s*</span>', cell), cell
    assert str(value) not in cell


@pytest.mark.parametrize(
    ("value", "shown"), [(True, "ใช่"), (False, "ไม่ใช่"), (None, ""), ("สถานีตลาด", "สถานีตลาด"), (0, "0")]
)
def test_a_listing_cell_shows_a_true_or_false_field_in_thai(thai, value, shown):
    """A model's BooleanField in a viewset's ``list_display`` is a plain column, whose cell Wagtail writes as str()."""
    cell = render_to_string("wagtailadmin/tables/cell.html", {"value": value, "column": None})
    assert re.sub(r"\s+", "", cell) == f"<td>{shown}</td>"


def test_the_header_menu_is_labelled_in_thai(thai):
    nav = render_to_string("wagtailadmin/shared/headers/_actions.html", {"actions": ""})
    assert 'aria-label="การดำเนินการ"' in nav
    assert "Actions" not in nav


def test_a_header_search_button_says_search_in_thai(thai):
    header = render_to_string(
        "wagtailadmin/shared/header.html",
        {"title": "เลือกหน้า", "search_url": "wagtailadmin_choose_page_search", "search_form": SearchForm()},
    )
    assert 'value="ค้นหา"' in header
    assert 'value="Search"' not in header


@pytest.fixture
def staff(client, db):
    user = get_user_model().objects.create_superuser(username="admin.th", password="x-" * 8)
    client.force_login(user)
    return user


def test_the_dashboard_search_button_says_search_in_thai(client, staff, home_page):
    page = client.get("/admin/").content.decode()
    assert 'value="ค้นหา"' in page
    assert 'value="Search"' not in page


def test_a_page_with_no_recorded_publisher_says_so_in_thai(client, staff, home_page, privacy_page):
    home_page.last_published_at = timezone.now() - timedelta(days=400)
    home_page.save(update_fields=["last_published_at"])
    privacy_page.save_revision(user=staff).publish(user=staff)

    rows = client.get("/admin/reports/aging-pages/results/").content.decode()
    row_of = {title: rows.split(title, 1)[1].split("</tr>", 1)[0] for title in ("หน้าแรก", privacy_page.title)}
    assert "ไม่ได้บันทึกผู้เผยแพร่" in row_of["หน้าแรก"]
    assert "None" not in row_of["หน้าแรก"]
    assert staff.username in row_of[privacy_page.title]
    assert "ไม่ได้บันทึกผู้เผยแพร่" not in row_of[privacy_page.title]


def test_a_listing_shows_whether_a_station_is_in_use_in_thai(client, staff, stations):
    listing = client.get("/admin/snippets/cctv_stations/station/").content.decode()
    shown = {" ".join(cell.split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", listing, re.S)}
    assert {"ใช่", "ไม่ใช่"} <= shown
    assert not {"True", "False"} & shown


def test_the_tooltip_of_a_relative_time_gives_the_buddhist_era_year(thai):
    from django.template import Context, Template

    moment = timezone.make_aware(timezone.datetime(2026, 12, 2, 13, 20))
    html = Template("{% load wagtailadmin_tags %}{% human_readable_date moment %}").render(Context({"moment": moment}))
    tooltip = re.search(r'data-w-tooltip-content-value="([^"]*)"', html).group(1)
    assert tooltip == "2 ธ.ค. 2569 13:20 น.", tooltip
    assert "2026" not in tooltip
    day = Template("{% load wagtailadmin_tags %}{% human_readable_date day %}").render(Context({"day": moment.date()}))
    assert 'data-w-tooltip-content-value="2 ธ.ค. 2569"' in day
