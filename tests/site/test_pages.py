def test_home_page_links_to_the_form_and_the_status_lookup(client, form_page, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(3):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert form_page.url in html
    assert "/status/" in html
    assert ">English<" in html and ">ภาษาไทย<" in html


def test_privacy_policy_page_shows_the_live_text(client, privacy_page):
    response = client.get(privacy_page.url)
    assert response.status_code == 200
    assert "ข้อมูลส่วนบุคคลของท่านจะถูกใช้เพื่อพิจารณาคำร้องเท่านั้น" in response.content.decode()


def test_published_change_to_the_policy_reaches_the_form(client, form_page, privacy_page):
    client.get(form_page.url)
    privacy_page.consent_label = "ข้าพเจ้ายอมรับฉบับแก้ไขใหม่"
    privacy_page.save_revision().publish()
    assert "ข้าพเจ้ายอมรับฉบับแก้ไขใหม่" in client.get(form_page.url).content.decode()


def test_unknown_page_is_a_thai_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()
