"""``newsdesk import`` of feed documents, HTML pages and text in many encodings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.paths import CORPUS, FEED_FIXTURES
from tui.sources.files import import_paths
from tui.store import Store

SPANISH = "Reunión en México: el señor Muñoz pidió «diálogo» — año clave\n\nSegundo párrafo, ¿sí?"


def titles(store: Store) -> list[str]:
    return sorted(s.title for s in store.list_stories(limit=1000))


def test_feed_documents_import_one_story_per_entry(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    for name in ("rss20.xml", "atom10.xml", "rss10.rdf", "feed.json", "latin1.xml"):
        shutil.copy(FEED_FIXTURES / name, folder / name)
    (folder / "feed.rss").write_bytes((FEED_FIXTURES / "rss091.xml").read_bytes())
    (folder / "feed.atom").write_bytes((FEED_FIXTURES / "atom03.xml").read_bytes())
    report = import_paths(store, [folder])
    assert report.errors == []
    assert (report.files, report.new) == (7, 3 + 2 + 2 + 2 + 1 + 1 + 1)
    assert "Reunión en México: señales de acuerdo" in titles(store)
    again = import_paths(store, [folder])  # re-import: nothing duplicated
    assert (again.new, again.unchanged) == (0, 12)


def test_broken_feed_file_imports_with_warning_and_html_as_feed_is_skipped(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FEED_FIXTURES / "broken.xml", folder / "broken.xml")
    (folder / "page.xml").write_bytes((FEED_FIXTURES / "page_without_feed.html").read_bytes())
    (folder / "empty.json").write_bytes(b"")
    report = import_paths(store, [folder])
    assert report.new == 2
    assert next(w for _, w in report.warnings).startswith("malformed feed")
    errors = {p.name: m for p, m in report.errors}
    assert errors == {
        "page.xml": "an HTML page, not a feed",
        "empty.json": "empty file",
    }


def test_html_page_imports_main_text_and_title(store: Store, tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    paragraphs = "".join(
        f"<p>Párrafo {i}: la delegación mexicana y la estadounidense revisaron los acuerdos "
        f"de seguridad y se comprometieron a publicar un informe conjunto.</p>"
        for i in range(1, 8)
    )
    page.write_text(
        "<html><head><meta charset='utf-8'><title>Informe conjunto | Diario</title>"
        "<script>var tracking = 1;</script></head><body><nav><a href='/'>Inicio</a>"
        "<a href='/mundo'>Mundo</a></nav><article><h1>Informe conjunto</h1>"
        f"{paragraphs}</article><footer>© Diario</footer></body></html>",
        encoding="utf-8",
    )
    report = import_paths(store, [page])
    assert (report.new, report.errors) == (1, [])
    [story] = store.list_stories(limit=10)
    full = store.story(story.id)
    assert full.title.startswith("Informe conjunto")
    assert "Párrafo 1:" in full.text and "Párrafo 7:" in full.text
    assert "\n\n" in full.text  # paragraphs kept
    assert "tracking" not in full.text and "Inicio" not in full.text


@pytest.mark.skipif(not (CORPUS / "articles").is_dir(), reason="shared corpus not available")
def test_corpus_spanish_article_page_imports(store: Store, tmp_path: Path) -> None:
    source = CORPUS / "articles" / "trafilatura_elpais-com-ciencia_es.html"
    page = tmp_path / "elpais.html"
    page.write_bytes(source.read_bytes())
    report = import_paths(store, [page])
    assert report.new == 1, report.errors
    [story] = store.list_stories(limit=10)
    full = store.story(story.id)
    assert "Antártida" in full.title
    assert len(full.text) > 2000


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("latin-1", b""),
        ("cp1252", b""),
    ],
)
def test_text_in_every_encoding_reads_correctly(
    store: Store, tmp_path: Path, encoding: str, bom: bytes
) -> None:
    text = SPANISH.replace("—", "-") if encoding == "latin-1" else SPANISH
    path = tmp_path / "nota.txt"
    path.write_bytes(
        bom + (text + "\n" + "Texto del cuerpo con acentos: canción, pingüino.").encode(encoding)
    )
    report = import_paths(store, [path])
    assert report.errors == []
    [story] = store.list_stories(limit=10)
    full = store.story(story.id)
    assert full.title == text.split("\n")[0]
    assert "canción, pingüino" in full.text


def test_declared_charset_in_html_is_honoured(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "viejo.htm"
    html = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>"
        "<title>Año nuevo</title></head><body><p>Ésta es una página “antigua” con € y ñ.</p>"
        "</body></html>"
    )
    path.write_bytes(html.encode("cp1252"))
    assert import_paths(store, [path]).errors == []
    [story] = store.list_stories(limit=10)
    full = store.story(story.id)
    assert full.title == "Año nuevo"
    assert "“antigua” con € y ñ" in full.text


def test_binary_files_are_reported_and_the_rest_imported(store: Store, tmp_path: Path) -> None:
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    (tmp_path / "image.xml").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (tmp_path / "blob.html").write_bytes(b"\x00\x01\x02\x03" * 500)
    (tmp_path / "ok.txt").write_text("Título\n\nCuerpo.", encoding="utf-8")
    report = import_paths(store, [tmp_path])
    assert report.new == 1
    assert sorted(p.name for p, _ in report.errors) == ["blob.html", "image.xml"]
    assert all("binary" in message for _, message in report.errors)


@pytest.mark.skipif(not (CORPUS / "feeds" / "real").is_dir(), reason="shared corpus not available")
def test_every_real_corpus_feed_imports_as_a_file(store: Store, tmp_path: Path) -> None:
    import feedparser

    real = sorted((CORPUS / "feeds" / "real").iterdir())
    expected = 0
    for path in real:
        expected += len(feedparser.parse(path.read_bytes()).entries)
    report = import_paths(store, real)
    assert report.errors == []
    assert report.files == len(real)
    assert report.new + report.updated + report.unchanged == expected
    for story in store.list_stories(limit=10_000):
        assert story.title or store.story(story.id).text
