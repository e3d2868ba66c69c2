"""What every app of the portal builds on and that depends on none of them.

The registry of named stores, the scope declarations with the one `restrict`, the base
classes of the API, the admin and the worker pages, the exception handler, periods. It
is the bottom layer of the app order (see `.importlinter`): it imports no project app.
"""
