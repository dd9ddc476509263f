"""Searching the stations list in the admin finds a station by code or name (it answered 500 on SQLite when the
list went through the database search backend)."""

from tests.factories import StationFactory


def test_the_stations_list_searches_by_code_and_name(client, admin_user, home_page):
    client.defaults["HTTP_HOST"] = "localhost"
    StationFactory(code="park", name_th="สวนสาธารณะหนองกระทิง")
    StationFactory(code="market", name_th="ตลาดสด")
    client.force_login(admin_user)
    by_code = client.get("/admin/snippets/cctv_stations/station/?q=park").content.decode()
    by_name = client.get("/admin/snippets/cctv_stations/station/?q=ตลาด").content.decode()
    assert "สวนสาธารณะหนองกระทิง" in by_code and "ตลาดสด" not in by_code
    assert "ตลาดสด" in by_name and "สวนสาธารณะหนองกระทิง" not in by_name
