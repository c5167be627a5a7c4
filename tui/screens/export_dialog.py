"""The desk's export dialog (key ``e``): the same choices as ``newsdesk export``.

Construct with ``ExportDialog(store, config_path, selection_defaults)`` and push it
with a callback::

    app.push_screen(ExportDialog(store, config.path, Selection(tags=("mexico",))), done)

It dismisses with an ``ExportDone`` (path written, number of stories, format)
after writing the file, or ``None`` when cancelled (escape). The path field starts
at the last path used (``export.path`` in the config file, saved after every
successful export); an existing file is replaced only after the user confirms in
a ``ConfirmReplace`` dialog. Building the document runs in a thread worker, so the
desk stays responsive while stories are analysed; errors (bad date, unwritable
path) are shown in the dialog as one line and the dialog stays open.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from tui.config import DEFAULT_MIN_CONFIDENCE, ConfigError, load_config, save_setting
from tui.export import ExportError, Selection, parse_day, write_output
from tui.export.atomic import ExistsError
from tui.export.document import AnalysisProvider, build_document, cached_analysis_data
from tui.export.jsonexport import render_json
from tui.export.markdown import render_markdown
from tui.export.selection import GROUP_BY, GroupBy
from tui.screens.dialogs import YesNoDialog

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from tui.store import Store

DEFAULT_PATH = "~/newsdesk-export.md"


@dataclass(frozen=True, slots=True)
class ExportDone:
    """What the dialog wrote."""

    path: Path
    stories: int
    format: str


class ConfirmReplace(YesNoDialog):
    """``path`` exists: replace it? (y / n, escape = no; "keep" has the focus)."""

    DEFAULT_CSS = """
    ConfirmReplace > Vertical { border: thick $warning; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Replace", id="export.replace.yes"),
        Binding("n,escape", "answer(False)", "Keep", id="export.replace.no"),
    ]
    QUESTION = "The file exists. Replace it?"
    YES_LABEL = "Replace (y)"
    NO_LABEL = "Keep it (n)"
    YES_VARIANT = "warning"
    FOCUS_YES = False

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def details(self) -> ComposeResult:
        yield Label(Text(str(self.path)), markup=False)


class ExportDialog(ModalScreen[ExportDone | None]):
    """Choose stories, grouping, format and file; export on enter or the Export button."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > VerticalScroll {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ExportDialog .row { height: auto; margin-top: 1; }
    ExportDialog .row Label { width: 10; padding: 0 1 0 0; }
    ExportDialog .row Input, ExportDialog .row Select { width: 1fr; }
    ExportDialog .row Label.second { width: 10; padding: 0 1 0 2; }
    ExportDialog Checkbox { width: auto; margin-right: 2; }
    ExportDialog #buttons { height: auto; margin-top: 1; align-horizontal: right; }
    ExportDialog #buttons Button { margin: 0 0 0 2; }
    ExportDialog #status { color: $error; height: auto; width: 1fr; }
    ExportDialog .hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "export", "Export", id="export.run"),
    ]

    def __init__(
        self,
        store: Store,
        config_path: Path,
        selection_defaults: Selection | None = None,
        *,
        group_by: GroupBy = "none",
        last_path: str | None = None,
        analyse: AnalysisProvider | None = cached_analysis_data,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    ) -> None:
        super().__init__()
        self.store = store
        self.min_confidence = min_confidence
        """The config's ``min_confidence`` (passed in by the desk, not looked up on the app)."""
        self.config_path = config_path
        self.defaults = selection_defaults or Selection()
        self.group_by = group_by
        self.analyse = analyse
        if last_path is None:
            try:
                last_path = load_config(config_path).export_path
            except ConfigError:
                last_path = ""
        self.last_path = last_path or DEFAULT_PATH

    def compose(self) -> ComposeResult:
        d = self.defaults
        # Compact fields (one line each) so the whole form fits at 80×24; it scrolls below that.
        with VerticalScroll():
            yield Label(Text("Export stories", style="bold"))
            with Horizontal(classes="row"):
                yield Label("Tags")
                yield Input(
                    ", ".join(d.tags),
                    placeholder="any of: mexico, security",
                    id="tags",
                    compact=True,
                    select_on_focus=False,
                )
            with Horizontal(classes="row"):
                yield Checkbox("all tags", d.all_tags, id="all-tags", compact=True)
                yield Checkbox("saved only", d.saved, id="saved", compact=True)
            with Horizontal(classes="row"):
                yield Label("Since")
                yield Input(
                    d.since.isoformat() if d.since else "",
                    placeholder="YYYY-MM-DD",
                    id="since",
                    compact=True,
                    select_on_focus=False,
                )
                yield Label("Until", classes="second")
                yield Input(
                    d.until.isoformat() if d.until else "",
                    placeholder="YYYY-MM-DD",
                    id="until",
                    compact=True,
                    select_on_focus=False,
                )
            with Horizontal(classes="row"):
                yield Label("Search")
                yield Input(
                    d.query or "",
                    placeholder="full-text query",
                    id="query",
                    compact=True,
                    select_on_focus=False,
                )
            with Horizontal(classes="row"):
                yield Label("Title")
                yield Input(
                    "",
                    placeholder="newsdesk export",
                    id="title",
                    compact=True,
                    select_on_focus=False,
                )
            with Horizontal(classes="row"):
                yield Label("Group by")
                yield Select(
                    [(g, g) for g in GROUP_BY],
                    value=self.group_by,
                    allow_blank=False,
                    id="group-by",
                    compact=True,
                )
                yield Label("Format", classes="second")
                yield Select(
                    [("Markdown", "markdown"), ("JSON", "json")],
                    value="markdown",
                    allow_blank=False,
                    id="format",
                    compact=True,
                )
            with Horizontal(classes="row"):
                yield Label("File")
                yield Input(self.last_path, id="path", compact=True, select_on_focus=False)
            yield Label("", id="status")
            with Horizontal(id="buttons"):
                yield Button("Export", variant="primary", id="export", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Label("enter/ctrl+s: export · esc: cancel", classes="hint")  # fmt: skip

    def on_mount(self) -> None:
        """Focus the first field in reading order; the file name is never pre-selected."""
        self.query_one("#tags", Input).focus()

    # -- reading the form ---------------------------------------------------------------

    def selection(self) -> Selection:
        """The form as a ``Selection``; ``ValueError`` (one line) for a bad date."""
        tags = tuple(
            t.strip() for t in self.query_one("#tags", Input).value.split(",") if t.strip()
        )
        since_text = self.query_one("#since", Input).value.strip()
        until_text = self.query_one("#until", Input).value.strip()
        since = parse_day(since_text) if since_text else None
        until = parse_day(until_text) if until_text else None
        if since and until and since > until:
            raise ValueError(f"since {since} is after until {until}")
        return Selection(
            tags=tags,
            all_tags=self.query_one("#all-tags", Checkbox).value,
            saved=self.query_one("#saved", Checkbox).value,
            since=since,
            until=until,
            query=self.query_one("#query", Input).value.strip() or None,
        )

    def _status(self, message: str) -> None:
        self.query_one("#status", Label).update(Text(" ".join(message.split())))

    # -- actions --------------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        """Switching the format switches a ``.md``/``.json`` file name along with it."""
        if event.select.id != "format":
            return
        path = self.query_one("#path", Input)
        suffixes = {"markdown": ".md", "json": ".json"}
        wanted = suffixes.get(str(event.value), "")
        for suffix in suffixes.values():
            if wanted and path.value.endswith(suffix) and suffix != wanted:
                path.value = path.value[: -len(suffix)] + wanted
                break

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export":
            self.action_export()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        try:
            selection = self.selection()
        except ValueError as exc:
            self._status(str(exc))
            return
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self._status("enter a file to write")
            return
        path = Path(raw).expanduser()
        if path.exists() and not path.is_dir():
            self.app.push_screen(
                ConfirmReplace(path),
                lambda yes: (
                    self._start(selection, raw, True) if yes else self._status("not replaced")
                ),
            )
            return
        self._start(selection, raw, False)

    def _start(self, selection: Selection, raw_path: str, force: bool) -> None:
        group_by = cast(GroupBy, self.query_one("#group-by", Select).value)
        fmt = str(self.query_one("#format", Select).value)
        self._status("")
        self.query_one("#export", Button).disabled = True
        title = self.query_one("#title", Input).value.strip()
        self.run_export(selection, group_by, fmt, raw_path, force, title)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def run_export(
        self,
        selection: Selection,
        group_by: GroupBy,
        fmt: str,
        raw_path: str,
        force: bool,
        title: str = "",
    ) -> None:
        """Build and write the document off the UI thread."""
        try:
            doc = build_document(
                self.store,
                selection,
                group_by=group_by,
                title=title,
                analyse=self.analyse,
                min_confidence=self.min_confidence,
            )
            data = render_json(doc) if fmt == "json" else render_markdown(doc)
            path = write_output(Path(raw_path).expanduser(), data, force=force)
        except ExistsError as exc:
            self.app.call_from_thread(
                self._failed, str(exc).replace(" (use --force to replace it)", "")
            )
            return
        except (ExportError, OSError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._written, ExportDone(path, len(doc.stories), fmt), raw_path)

    def _failed(self, message: str) -> None:
        self.query_one("#export", Button).disabled = False
        self._status(message)

    def _written(self, done: ExportDone, raw_path: str) -> None:
        try:
            save_setting(self.config_path, "export.path", raw_path)
        except (OSError, ValueError) as exc:  # unwritable or unparsable config: keep going
            self.app.notify(
                f"Could not remember the export path: {exc}", severity="warning", markup=False
            )
        self.dismiss(done)
