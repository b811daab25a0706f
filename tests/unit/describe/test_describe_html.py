from html.parser import HTMLParser

from lamin_lab.describe import DescribeTree, Row, Section, feature_section, to_html

XSS = "<script>alert(1)</script>"


class _Collector(HTMLParser):
    """Checks nesting and records tags, attributes and text."""

    VOID = {"br", "hr", "img", "meta", "input", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.tags, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"bad nesting at </{tag}>"

    def handle_data(self, data):
        self.text.append(data)


def _parse(html):
    p = _Collector()
    p.feed(html)
    p.close()
    assert p.stack == []
    return p


def _tree():
    return DescribeTree(
        XSS,
        XSS,
        [
            Section("General", [Row(XSS, XSS, "code"), Row("size", 1500, "size")]),
            feature_section("External features", [("f" + XSS, XSS, [XSS, "b"])]),
            Section("Versions", [Row("1", "A")], open=False),
        ],
        version=XSS,
    )


def test_every_value_is_escaped():
    html = to_html(_tree())
    assert "<script" not in html
    # "</script>" has a slash: a <wbr> may follow it (see the wrapping tests below)
    assert html.replace("<wbr>", "").count("&lt;script&gt;alert(1)&lt;/script&gt;") == 8


def test_keys_and_paths_may_wrap_only_after_separators():
    tree = DescribeTree(
        "Artifact", "raw/pbmc.h5ad", [Section("General", [Row("key", "raw/pbmc_68k.h5ad", "path")])]
    )
    html = to_html(tree)
    assert "raw/<wbr>pbmc_<wbr>68k.<wbr>h5ad</td>" in html
    assert "<span>raw/<wbr>pbmc.<wbr>h5ad</span>" in html  # the title line as well


def test_a_leading_separator_gets_no_break_point():
    tree = DescribeTree("Artifact", "", [Section("General", [Row("suffix", ".h5ad", "code")])])
    assert ">.h5ad</td>" in to_html(tree)


def test_numbers_and_sizes_do_not_get_a_break_point():
    tree = DescribeTree(
        "Artifact",
        "",
        [Section("General", [Row("size", 46900, "size"), Row("n", "0.25", "number")])],
    )
    html = to_html(tree)
    assert ">46.9 kB</td>" in html and ">0.25</td>" in html


def test_escaped_text_round_trips():
    p = _parse(to_html(_tree()))
    text = "".join(p.text)
    assert text.count(XSS) == 8
    assert "1.5 kB" in text


def test_no_script_or_event_handlers():
    p = _parse(to_html(_tree()))
    assert all(tag != "script" for tag, _ in p.tags)
    assert not any(k.startswith("on") for _, attrs in p.tags for k in attrs)


def test_sections_are_collapsible_details():
    p = _parse(to_html(_tree()))
    details = [attrs for tag, attrs in p.tags if tag == "details"]
    summaries = [tag for tag, _ in p.tags if tag == "summary"]
    assert len(details) == len(summaries) == 4  # root + 3 sections
    assert ["open" in d for d in details] == [True, True, True, False]


def test_feature_table_has_dtype_column():
    html = to_html(DescribeTree("A", sections=[feature_section("F", [("n", "int", 3)])]))
    assert "<td" in html and ">int</td>" in html and ">3</td>" in html


def test_styles_use_jupyterlab_variables():
    html = to_html(_tree())
    assert "var(--jp-ui-font-color1" in html and "var(--jp-border-color2" in html


def test_empty_sections_are_left_out():
    html = to_html(DescribeTree("A", sections=[Section("Labels")]))
    assert "Labels" not in html
    assert "Labels" in to_html(DescribeTree("A", sections=[Section("Labels")]), show_empty=True)


def test_repr_html_is_to_html():
    tree = _tree()
    assert tree._repr_html_() == to_html(tree)


def test_a_hash_or_uid_gets_no_break_point():
    rows = [Row("hash", "kAFQmDzST7DWlj99KOF_cg", "code"), Row("uid", "3LoS1M0gbgnr.hvcA", "code")]
    html = to_html(DescribeTree("Artifact", "", [Section("General", rows)]))
    assert ">kAFQmDzST7DWlj99KOF_cg</td>" in html and ">3LoS1M0gbgnr.hvcA</td>" in html
