"""Where stories come from: feeds over HTTP and local files (never imports Textual)."""
