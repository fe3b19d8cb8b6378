"""Services and referrals: its pages, mounted under the language prefix (/nl/, /en/, /fr/).

The public search (``urls_search.py``), the organisations' own records and the city's review
(``urls_records.py``), and referrals (``urls_referrals.py``).
"""

from . import urls_records, urls_referrals, urls_search

app_name = "directory"

urlpatterns = [*urls_search.urlpatterns, *urls_records.urlpatterns, *urls_referrals.urlpatterns]
