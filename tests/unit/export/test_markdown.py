"""Markdown export: valid CommonMark whatever the feeds say, and a reviewed golden file.

Validity is checked by parsing the output with markdown-it-py: every title must
come back as exactly its text (no emphasis, links, code, HTML, headings or list
items it did not ask for).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.support.analyses import (
    TEST_VERSION,
    A,
    C,
    D,
    add_story,
    build_analysis,
    cached_provider,
    save,
)
from tests.support.paths import GOLDEN
from tui.export import Selection
from tui.export.document import build_document, lead_of
from tui.export.jsonexport import export_dict, render_json
from tui.export.markdown import escape, render_markdown, safe_url
from tui.samples import load_samples
from tui.store import Store, StoryFilter, StoryIn

GOLDEN_MARKDOWN = GOLDEN / "export_sample_desk.md"
GENERATED = dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC)

HOSTILE = [
    "*bold* and _em_ and **strong** and __under__",
    "[link](http://evil.example) and ![img](x.png)",
    "# not a heading ##",
    "Trailing hashes ###",
    "1. Leading number",
    "2026) paren list",
    "1986. A year to remember",
    "- dash start",
    "+ plus start",
    "> quote start",
    "<script>alert(1)</script> & &amp; &#35; &copy;",
    "pipes | in | a | title",
    "`code` and ``double ticks``",
    "back\\slash at the end \\",
    "---",
    "===",
    "* * *",
    "<http://autolink.example> and <mail@example.org>",
    "    indented four spaces",
    "~~strike~~ and ~tilde~ ~~~",
    "Line\nbreak\tand tab",
    "snake_case_name and a_b_c",
    "[ref]: http://ref.example",
    "Control\x1b[31m red\x07 bell",
    "\\_already escaped\\_ \\*",
    "<!-- comment --> and <div>block</div>",
    "```fence",
    "Ünïcödé “quotes” — dash · 東京",
    "!bang [bracket] (paren) {brace}",
]


# Block structure that escaped feed text must never produce.
STRAY_BLOCKS = frozenset(
    {"ordered_list_open", "blockquote_open", "code_block", "fence", "html_block", "hr"}
)


def plain(text: str) -> str:
    """What the export promises to keep: control characters become spaces, whitespace collapses."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", text).split())


def inline_text(token: Token) -> str:
    out = []
    for child in token.children or []:
        if child.type == "text":
            out.append(child.content)
        elif child.type == "softbreak":
            out.append("\n")
        elif child.type in ("link_open", "link_close"):
            continue
        else:
            raise AssertionError(f"unexpected inline {child.type}: {child.content!r}")
    return "".join(out)


def parser() -> MarkdownIt:
    # CommonMark plus the GFM extensions many viewers add: they must not fire either.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def headings(tokens: list[Token], level: int) -> list[Token]:
    return [
        tokens[i + 1]
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == f"h{level}"
    ]


@pytest.mark.parametrize("title", HOSTILE)
def test_escape_round_trips_as_a_paragraph(title: str) -> None:
    tokens = parser().parse(escape(title) + "\n")
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert inline_text(tokens[1]) == plain(title)


@pytest.mark.parametrize("title", HOSTILE)
def test_escape_round_trips_inside_a_list_item(title: str) -> None:
    tokens = parser().parse(f"- {escape(title)}\n- second\n")
    types = [t.type for t in tokens]
    assert types.count("bullet_list_open") == 1 and "ordered_list_open" not in types
    assert inline_text(tokens[3]) == plain(title)


def test_hostile_export_round_trips_through_markdown_it(store: Store) -> None:
    for i, title in enumerate(HOSTILE):
        add_story(
            store,
            title,
            text=f"{title}\n\nSecond paragraph for {title}",
            url=f"https://example.org/story/{i}?q=a b&x=(1)<2>",
            published=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=i),
        )
    ids = [s.id for s in store.list_stories(StoryFilter(), limit=100)]
    store.add_tags(ids, ["*hot* tag", "1. first"])
    store.set_note(ids[0], "- note *with* [markup]\n\n# and a heading")
    doc = build_document(store, Selection(), group_by="tag", generated=GENERATED, analyse=None)
    md = render_markdown(doc)
    tokens = parser().parse(md)
    titles = [inline_text(t) for t in headings(tokens, 3)]
    # Newest first: the last hostile title was published last.
    assert titles == [plain(t) for t in reversed(HOSTILE)]
    links = [c for t in headings(tokens, 3) for c in t.children or [] if c.type == "link_open"]
    assert len(links) == len(HOSTILE)
    assert all(str(c.attrs["href"]).startswith("https://example.org/story/") for c in links)
    assert [inline_text(t) for t in headings(tokens, 2)] == ["*hot* tag"]
    assert len(headings(tokens, 1)) == 1
    kinds = {t.type for t in tokens}
    assert not kinds & (STRAY_BLOCKS | {"table_open"})
    inline_kinds = {c.type for t in tokens if t.type == "inline" for c in t.children or []}
    assert inline_kinds <= {"text", "link_open", "link_close", "softbreak"}
    texts = [inline_text(t) for t in tokens if t.type == "inline"]
    assert "Note: - note *with* [markup] # and a heading" in texts
    assert "Tags: *hot* tag, 1. first" in texts
    for title in HOSTILE:
        assert plain(title) in texts  # the lead's first paragraph, as a paragraph of its own


def test_safe_url_links_only_web_addresses() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("/home/me/story.md") is None
    assert safe_url("https://x.example/a b(c)") == "https://x.example/a%20b%28c%29"


def test_lead_takes_a_second_paragraph_only_when_the_first_is_short() -> None:
    assert lead_of("Short one.\n\nSecond.\n\nThird.") == ("Short one.", "Second.")
    long = "word " * 80
    assert lead_of(f"{long}\n\nSecond.") == (long.strip(),)
    assert lead_of("line one\nline two") == ("line one", "line two")
    assert lead_of("") == ()


def _sample_desk(store: Store) -> None:
    """The sample desk after a user tagged, saved and annotated a few stories."""
    store.clock = GENERATED.date  # the desk's clock: the day the export was made
    load_samples(store)
    by_title = {s.title: s for s in store.list_stories(StoryFilter(), limit=100, with_text=True)}
    rubio = next(s for t, s in by_title.items() if t.startswith("Marco Rubio"))
    boeing = [s for t, s in by_title.items() if t.startswith(("Boeing", "Northrop"))]
    store.add_tags([rubio.id], ["mexico", "security"])
    store.add_tags([s.id for s in boeing], ["aviation"])
    store.set_saved([rubio.id])
    store.set_note(rubio.id, "Ask the embassy about the *February* meeting [agenda].")
    analysis = build_analysis(
        rubio,
        "es",
        actors=[
            A("Marco Rubio", "person", "Marco Rubio", "secretario de Estado"),
            A("Juan Ramón de la Fuente", "person", "Juan Ramón de la Fuente", "canciller"),
            A("secretario Rubio", "person", "Marco Rubio"),
            A("Grupo de Implementación de Seguridad", "organization", "Grupo de Implementación de Seguridad"),
            A("Washington, DC", "place", "Washington, D.C."),
        ],
        dates=[
            D("próximo 23 de enero", "2026-01-23", "day", "reunión del Grupo de Implementación de Seguridad"),
            D("en febrero, con motivo", "2026-02", "month", "Reunión Ministerial de Seguridad"),
        ],
        commitments=[
            C("convinieron en convocar una Reunión Ministerial de Seguridad", "convinieron", "Marco Rubio",
              "convocar una Reunión Ministerial de Seguridad en Washington", due="2026-02"),
            C("acordaron dar seguimiento a las iniciativas bilaterales", "acordaron", "Juan Ramón de la Fuente",
              "dar seguimiento a las iniciativas bilaterales"),
        ],
    )  # fmt: skip
    save(store, rubio, analysis)


def test_sample_desk_export_matches_the_reviewed_golden_file(store: Store) -> None:
    _sample_desk(store)
    selection = Selection(tags=("mexico", "aviation"))
    doc = build_document(
        store, selection, group_by="tag", generated=GENERATED, analyse=cached_provider
    )
    md = render_markdown(doc)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN_MARKDOWN.write_text(md, encoding="utf-8")
    assert md == GOLDEN_MARKDOWN.read_text(encoding="utf-8")
    tokens = parser().parse(md)
    assert [inline_text(t) for t in headings(tokens, 2)] == ["mexico", "aviation"]
    assert len(headings(tokens, 3)) == 4


def test_json_export_carries_the_same_data(store: Store) -> None:
    _sample_desk(store)
    doc = build_document(
        store, Selection(tags=("mexico",), saved=True), generated=GENERATED, analyse=cached_provider
    )
    data = json.loads(render_json(doc))
    assert data == json.loads(json.dumps(export_dict(doc)))
    assert data["selection"]["description"] == "stories with tag mexico; saved"
    (story,) = data["stories"]
    assert story["tags"] == ["mexico", "security"]
    assert [a["name"] for a in story["actors"]][:2] == ["Marco Rubio", "Juan Ramón de la Fuente"]
    assert story["actors"][0]["mentions"] == 2
    assert story["upcoming"][0] == {
        "value": "2026-01-23", "granularity": "day", "label": "viernes 23 de enero de 2026",
        "event": "reunión del Grupo de Implementación de Seguridad",
        "sentence_index": story["upcoming"][0]["sentence_index"],
        "sentence": story["upcoming"][0]["sentence"],
        "status": "upcoming",
    }  # fmt: skip
    assert "23 de enero" in story["upcoming"][0]["sentence"]
    assert story["commitments"][0]["due_label"] == "febrero de 2026"  # the story's language
    assert story["commitments"][0]["sentence"].startswith(
        "El secretario Rubio y el secretario De la Fuente convinieron"
    )


def test_selection_dates_are_inclusive_and_described(store: Store) -> None:
    for day in (1, 2, 3):
        add_story(store, f"Day {day}", published=dt.datetime(2026, 1, day, 23, 59, tzinfo=dt.UTC))
    sel = Selection(since=dt.date(2026, 1, 2), until=dt.date(2026, 1, 2))
    doc = build_document(store, sel, generated=GENERATED, analyse=None)
    assert [s.title for s in doc.stories] == ["Day 2"]
    assert sel.describe() == "stories with published 2026-01-02 to 2026-01-02"
    assert Selection().describe() == "all stories"


def test_analysis_failure_keeps_the_story_and_counts_it(store: Store) -> None:
    add_story(store, "Fine story")

    def broken(_store: Store, _story: object) -> object:
        raise RuntimeError("analyser bug")

    doc = build_document(store, Selection(), generated=GENERATED, analyse=broken)  # type: ignore[arg-type]
    assert doc.analysis_errors == 1 and len(doc.stories) == 1
    assert "Analysis failed for 1 of them" in render_markdown(doc)


def test_empty_selection_says_so(store: Store) -> None:
    doc = build_document(store, Selection(tags=("nothing",)), generated=GENERATED, analyse=None)
    md = render_markdown(doc)
    assert "No stories match this selection." in md
    assert "Selection: stories with tag nothing. 0 stories." in md


def test_default_analysis_uses_the_store_cache(store: Store) -> None:
    """Without a provider the export analyses through the engine and caches the result."""
    from tui.analysis import ANALYSER_VERSION

    story = add_story(
        store, "Rubio y De la Fuente", "Se reunirán el 23 de enero en Washington.", language="es"
    )
    build_document(store, Selection(), generated=GENERATED)
    assert store.cached_analysis(story.id, ANALYSER_VERSION) is not None
    assert store.cached_analysis(story.id, TEST_VERSION) is None


def test_json_story_dict_has_every_field_of_the_entry(store: Store) -> None:
    """The hand-written JSON shape must not silently drop a field added to the data."""
    from dataclasses import asdict, fields

    from tui.export.document import StoryEntry
    from tui.export.jsonexport import story_dict

    _sample_desk(store)
    doc = build_document(
        store, Selection(tags=("mexico",)), generated=GENERATED, analyse=cached_provider
    )
    (entry,) = doc.stories
    data = story_dict(entry)
    assert set(data) == {f.name for f in fields(StoryEntry)}
    lists = ("actors", "commitments", "upcoming", "was_upcoming")
    for key in lists:
        records = getattr(entry, key)
        assert [list(d) for d in data[key]] == [list(r._fields) for r in records]
        assert [list(d.values()) for d in data[key]] == [list(r) for r in records]
    scalars = {k: v for k, v in asdict(entry).items() if k not in lists}
    assert {k: data[k] for k in scalars} == json.loads(json.dumps(scalars))


def test_hostile_sources_and_analysis_lists_round_trip(store: Store) -> None:
    source = store.add_source("https://feed.example/rss", title="*Evil* | [feed] <b>")
    text = "1. Meet *Bob* on 1. March.\n\n> He will launch `it` then."
    story_id, _ = store.upsert_story(
        source.id,
        StoryIn(
            title="# Launch",
            text=text,
            url="https://x.example/1",
            published=dt.datetime(2026, 1, 8, tzinfo=dt.UTC),
        ),
    )
    story = store.story(story_id)
    save(store, story, build_analysis(
        story, "en",
        actors=[A("*Bob*", "person", "*Bob* & <Co>", "#1 fan_club")],
        dates=[D("1. March", "2026-03-01", "day", "- launch of <b>it</b>")],
        commitments=[C("He will launch `it`", "will", "*Bob*", "launch `it` | [now]", kind="promise")],
    ))  # fmt: skip
    doc = build_document(store, Selection(), generated=GENERATED, analyse=cached_provider)
    tokens = parser().parse(render_markdown(doc))
    texts = [inline_text(t) for t in tokens if t.type == "inline"]
    assert "# Launch" in texts
    assert "Source: *Evil* | [feed] <b>" in texts
    assert "1. Meet *Bob* on 1. March." in texts and "> He will launch `it` then." in texts
    assert "*Bob* & <Co>, #1 fan_club (person)" in texts
    assert "Sunday 1 March 2026 — - launch of <b>it</b>" in texts
    assert "*Bob* (promise): launch `it` | [now] — “> He will launch `it` then.”" in texts
    kinds = {t.type for t in tokens}
    assert not kinds & STRAY_BLOCKS


def test_group_by_date_and_source_headings(store: Store) -> None:
    add_story(store, "Early", published=dt.datetime(2026, 1, 2, 8, tzinfo=dt.UTC))
    add_story(store, "Late", published=dt.datetime(2026, 1, 3, 8, tzinfo=dt.UTC))
    by_date = render_markdown(
        build_document(store, Selection(), group_by="date", generated=GENERATED, analyse=None)
    )
    tokens = parser().parse(by_date)
    assert [inline_text(t) for t in headings(tokens, 2)] == [
        "2026-01-03 (Saturday 3 January 2026)",
        "2026-01-02 (Friday 2 January 2026)",
    ]
    by_source = render_markdown(
        build_document(store, Selection(), group_by="source", generated=GENERATED, analyse=None)
    )
    assert [inline_text(t) for t in headings(parser().parse(by_source), 2)] == ["Unknown source"]
