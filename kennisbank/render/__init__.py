"""Page renderers: plain functions from a ``SiteContext`` to ``Page`` objects.

Each module renders one kind of page (entry pages, the catalogue, overviews,
briefings, the start page) and knows nothing of MkDocs; the plugin collects
their pages and hands them to MkDocs.
"""
