"""The project's date and number formats per language (``FORMAT_MODULE_PATH``), over Django's own.

Dates are written in words so nobody has to guess the order of day and month (``7 December 2026,
14:57``, never ``12/07/2026``); times on the 24-hour clock in all three languages; the week starts on
Monday.  Dates typed into a field are read day first in every language (``7/12/2026`` is 7 December).
Formats Django does not name (a short day with its weekday, ``di 8 dec``) are in ``apps/core/formats.py``.
"""
