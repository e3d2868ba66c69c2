"""What other apps may follow: a pack or a bureau's edit changed the sections in force at a region.

Sent once per write, inside its transaction; a receiver that rebuilds derived data defers the work
with `transaction.on_commit`, so a rolled-back edit rebuilds nothing."""

from django.dispatch import Signal

# Arguments: region (the Region, or None for the national pack), sections (names written).
sections_changed = Signal()
