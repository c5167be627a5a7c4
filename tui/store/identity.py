"""When two entries are the same story, and whose content a match keeps.

Pure functions (no SQL, no I/O) so the rule can be read, tested and reused on
its own; ``Store._find_existing`` runs the same rule as indexed lookups, in the
order ``same_story`` checks it.

The same story:

1. the same guid from the same source;
2. the same guid from any source, when the guid can identify a story across
   feeds (``globally_unique``: URLs, URNs, long opaque ids; small feeds
   numbering entries "1", "2", ... would merge unrelated stories);
3. the same link;
4. the same normalised title and text (``content_hash``).

Whose content is kept: only the source that first brought a story (its
*owner*) may change its title and text. Another feed reusing that guid or
link, by accident or on purpose, is recorded as one more source of the story
(``story_sources``) but can never rewrite what the first source said while the
desk names the first source.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StoryKey:
    """What identifies an entry: its source, its guid and link, and its content hash."""

    source_id: int | None
    guid: str = ""
    url: str = ""
    content_hash: str = ""


def globally_unique(guid: str) -> bool:
    """Whether a guid can identify a story across feeds (see rule 2 above)."""
    return len(guid) >= 16 or ":" in guid or "/" in guid


def same_story(stored: StoryKey, incoming: StoryKey) -> bool:
    """Whether ``incoming`` is the story ``stored`` (rules 1-4 above)."""
    same_guid = bool(incoming.guid) and stored.guid == incoming.guid
    if same_guid and (stored.source_id == incoming.source_id or globally_unique(incoming.guid)):
        return True
    if incoming.url and stored.url == incoming.url:
        return True
    return bool(incoming.content_hash) and stored.content_hash == incoming.content_hash


def may_replace_content(owner: int | None, incoming: int | None) -> bool:
    """Whether an entry from source ``incoming`` may rewrite a story first brought by ``owner``."""
    return owner == incoming
