"""newsdesk's tests: unit/ (no UI), ui/ (Pilot, snapshots, a real terminal), support/."""
