"""The shared panel helpers (common.js) in Chromium without JupyterLab: stale replies, text only, keys."""

from __future__ import annotations

import pytest

from lamin_lab.widgets._base import common_script

FAKE_MODEL = """
window.sent = [];
window.listeners = [];
window.model = {
  send: (msg) => window.sent.push(msg),
  on: (name, fn) => window.listeners.push(fn),
  off: (name, fn) => { window.listeners = window.listeners.filter((f) => f !== fn); },
};
window.reply = (msg) => window.listeners.forEach((fn) => fn(msg));
"""


@pytest.fixture
def helpers(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<html><body></body></html>")
    page.add_script_tag(content=common_script() + FAKE_MODEL)
    yield page
    context.close()


def test_replies_to_older_requests_are_dropped(helpers):
    shown = helpers.evaluate("""() => {
        const shown = [];
        const client = makeClient(model);
        client.on("search", (msg) => shown.push(msg.q));
        client.request("search", { q: "p" });
        client.request("search", { q: "pb" });
        const [first, second] = sent;
        reply({ channel: "search", type: "results", q: "pb", request_id: second.request_id, view: second.view });
        reply({ channel: "search", type: "results", q: "p", request_id: first.request_id, view: first.view });
        return shown;
    }""")
    assert shown == ["pb"]


def test_replies_for_another_view_are_ignored(helpers):
    shown = helpers.evaluate("""() => {
        const shown = [];
        const mine = makeClient(model);
        const other = makeClient(model);
        mine.on("page", (msg) => shown.push("mine"));
        other.on("page", (msg) => shown.push("other"));
        mine.request("page", {});
        const msg = sent[0];
        reply({ channel: "page", type: "page", request_id: msg.request_id, view: msg.view });
        return shown;
    }""")
    assert shown == ["mine"]


def test_errors_reach_the_error_handler(helpers):
    message = helpers.evaluate("""() => {
        let seen = null;
        const client = makeClient(model);
        client.on("error", (msg) => { seen = msg.message; });
        client.request("page", {});
        const [msg] = sent;
        reply({ channel: "page", type: "error", message: "bad filter", request_id: msg.request_id, view: msg.view });
        return seen;
    }""")
    assert message == "bad filter"


def test_h_puts_strings_in_as_text(helpers):
    result = helpers.evaluate("""() => {
        const node = h("div", { class: "x", title: "<b>t</b>" }, "<img src=x onerror=window.__pwned=1>", 3);
        document.body.append(node);
        return { text: node.textContent, children: node.children.length, title: node.title,
                 pwned: typeof window.__pwned };
    }""")
    assert result == {
        "text": "<img src=x onerror=window.__pwned=1>3",
        "children": 0,
        "title": "<b>t</b>",
        "pwned": "undefined",
    }


def test_keyboard_list_moves_picks_and_clears(helpers):
    events = helpers.evaluate("""() => {
        const events = [];
        const input = h("input");
        const list = h("ul", {}, ["a", "b", "c"].map((t) => h("li", { class: "ll-item" }, t)));
        document.body.append(input, list);
        keyboardList(input, list, (i) => events.push("pick " + i), () => events.push("clear"));
        const key = (k) => input.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
        key("ArrowDown"); key("ArrowDown"); key("ArrowDown"); key("ArrowDown"); key("ArrowUp"); key("Enter");
        events.push(list.querySelector(".ll-active").textContent);
        key("Escape");
        return events;
    }""")
    assert events == ["pick 1", "b", "clear"]
