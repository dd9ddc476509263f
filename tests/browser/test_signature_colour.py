"""A citizen signs in blue, the form comes back with an error, and the pen is still blue: the colour chosen, the
pen's state and the new strokes all match the signature that was kept. axe-core checks the page with the error;
no response may be a server error."""

import pytest

from tests.browser.citizen_form import draw_signature, field, one_page
from tests.browser.conftest import axe_violations, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLUE, BLACK = "#1d3f9a", "#000000"

# The colour of the canvas's opaque pixels: counts of those nearer black and of those nearer the blue ink.
INK = """c => {
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let black = 0, blue = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] < 200) continue;
    const toBlack = data[i] + data[i + 1] + data[i + 2];
    const toBlue = Math.abs(data[i] - 0x1d) + Math.abs(data[i + 1] - 0x3f) + Math.abs(data[i + 2] - 0x9a);
    if (toBlue < toBlack) blue++; else black++;
  }
  return {black, blue};
}"""


def sign_and_fail(page, live_server, form_page, colour_label):
    server_errors = []
    page.on("response", lambda response: response.status >= 500 and server_errors.append(response.url))
    page.goto(live_server.url + form_page.url)
    one_page(page)  # the steps themselves: test_stepped_form.py
    page.get_by_role("radio", name=colour_label).check()
    draw_signature(page)
    field(page, "เลขบัตรประชาชน").fill("1234567890123")  # wrong check digit; the rest left empty
    page.get_by_role("button", name="ส่งคำร้อง").click()  # the anti-robot check solves, then the form is sent
    page.locator("[data-error-summary]").wait_for(state="visible")
    assert page.locator("input[name=signature]").input_value().startswith("data:image/png;base64,")
    return server_errors


def pen(page) -> dict:
    page.locator("[data-signature][data-pen-settled]").wait_for(state="attached")
    return {
        "chosen": page.locator("input[name=signature_colour]:checked").get_attribute("value"),
        "pen": page.locator("[data-signature]").get_attribute("data-pen-colour"),
    }


def test_after_an_error_the_pen_keeps_the_colour_of_the_kept_blue_signature(live_server, form_page, phone):
    page = phone
    server_errors = sign_and_fail(page, live_server, form_page, "น้ำเงิน")
    kept = page.locator("canvas.signature__canvas").evaluate(INK)
    assert kept["blue"] > 0 and kept["black"] == 0, "the kept signature is drawn again, in blue"
    assert pen(page) == {"chosen": BLUE, "pen": BLUE}

    # A stroke added now is blue like the kept one.
    canvas = page.locator("canvas.signature__canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + box["height"] * 0.85)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 30, box["y"] + box["height"] * 0.85, steps=8)
    page.mouse.up()
    after = canvas.evaluate(INK)
    assert after["blue"] > kept["blue"] and after["black"] == 0

    shoot(page, "signature-colour-after-error")
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert server_errors == []


def test_after_an_error_a_black_signature_keeps_the_black_pen(live_server, form_page, phone):
    page = phone
    server_errors = sign_and_fail(page, live_server, form_page, "ดำ")
    assert pen(page) == {"chosen": BLACK, "pen": BLACK}
    assert page.locator("canvas.signature__canvas").evaluate(INK)["blue"] == 0
    assert page.console_errors == []
    assert server_errors == []
