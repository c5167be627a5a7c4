"""Adding a feed from inside the desk (``A``, or "Add feed" in the palette).

The user types a feed's address or a site's; ``tui.sources.subscribe`` finds the
feed a page links to, subscribes and fetches it (the same path as ``newsdesk
add``), in a thread worker. The dialog then says which feed it found, its title
and how many stories it holds, and closes with the new source's id.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.desk.messages import plain_error
from tui.store import Store
from tui.widgets.story_list import plain

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from tui.config import Config
    from tui.sources.subscribe import Subscription


class AddFeedDialog(ModalScreen[int | None]):
    """Ask for a URL, subscribe to its feed, fetch it, and report what was found."""

    DEFAULT_CSS = """
    AddFeedDialog { align: center middle; }
    AddFeedDialog > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    AddFeedDialog Input { margin: 1 0 0 0; }
    AddFeedDialog #add-status { height: auto; margin-top: 1; }
    AddFeedDialog #add-status.-error { color: $error; }
    AddFeedDialog Horizontal { height: auto; margin-top: 1; }
    AddFeedDialog Button { margin-right: 1; }
    AddFeedDialog .hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(self, store: Store, config: Config | None) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.source_id: int | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label(Text("Add a feed", style="bold"))
            yield Static(
                "A feed's address, or a site's: its feed is found for you.", classes="hint"
            )
            yield Input(placeholder="https://example.org/  or  …/feed.xml", id="feed-url")
            yield Input(placeholder="tags (optional, comma-separated)", id="feed-tags")
            yield Static("", id="add-status", markup=False)
            with Horizontal():
                yield Button("Subscribe", variant="primary", id="subscribe")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#feed-url", Input).focus()

    def _say(self, text: str | Text, *, error: bool = False) -> None:
        status = self.query_one("#add-status", Static)
        status.set_class(error, "-error")
        status.update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.source_id is not None:
            self.dismiss(self.source_id)
        elif event.input.id == "feed-url" or self.query_one("#feed-url", Input).value.strip():
            self.start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel" or self.source_id is not None:
            self.dismiss(self.source_id)
        else:
            self.start()

    def start(self) -> None:
        """Subscribe to what the URL field holds (ignored while a subscription runs)."""
        url = self.query_one("#feed-url", Input).value.strip()
        if self.busy:
            return
        if not url:
            self._say("Type a feed's or a site's address first.", error=True)
            return
        tags = tuple(
            t.strip() for t in self.query_one("#feed-tags", Input).value.split(",") if t.strip()
        )
        self.busy = True
        self._say(f"Looking for a feed at {plain(url)}…")
        self.subscribe_feed(url, tags)

    @work(thread=True, exclusive=True, group="add-feed", exit_on_error=False)
    def subscribe_feed(self, url: str, tags: tuple[str, ...]) -> None:
        """Discover, subscribe and fetch off the UI thread (network and parsing)."""
        from tui.sources.subscribe import SubscribeError, subscribe

        try:
            sub = asyncio.run(subscribe(self.store, url, self.config, tags=tags))
        except SubscribeError as exc:
            self.app.call_from_thread(self._failed, plain_error(str(exc)))
            return
        except Exception as exc:  # a bug must not leave the dialog spinning
            self.app.call_from_thread(self._failed, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._subscribed, url, sub)

    def _failed(self, message: str) -> None:
        self.busy = False
        self._say("No feed added: " + plain(message), error=True)

    def _subscribed(self, url: str, sub: Subscription) -> None:
        self.busy = False
        self.source_id = sub.source.id
        text = Text(end="")
        if sub.chosen is not None:
            text.append(f"{plain(url)} is a web page; it links to the {sub.chosen.kind} feed\n")
        verb = "Already subscribed to " if sub.existed else "Subscribed to "
        text.append(verb)
        text.append(plain(sub.source.label), style="bold")
        text.append("\n" + plain(sub.source.url), style="dim")
        result = sub.result
        if result is not None:
            items = result.new + result.updated + result.unchanged
            text.append(
                f"\n{items} {'story' if items == 1 else 'stories'} in the feed, {result.new} new"
            )
            if result.status == "error":
                text.append("\nThe fetch failed: " + plain(plain_error(result.error)), "bold")
        self._say(text, error=result is not None and result.status == "error")
        button = self.query_one("#subscribe", Button)
        button.label = "Done"
        button.focus()

    def action_cancel(self) -> None:
        self.dismiss(self.source_id)
