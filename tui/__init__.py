"""newsdesk: a keyboard-driven terminal news desk."""

__version__ = "0.1.0"
