"""Dossier pages, one module per use case: reception, the inbox and approvals, one dossier with its
actions, public tracking, the citizen's online filing.

Thin views: writes go through `services`, reads through `selectors` and `page_selectors`.
"""
