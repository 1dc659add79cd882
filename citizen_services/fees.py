"""Information processing fees (信息处理费, 国办函〔2020〕109号), pure arithmetic.

Art. 3: a request is charged either per request or per page, never both. Both scales are
progressive (超额累进):

- per request (Art. 4), by how many requests the same applicant made in the calendar month:
  the 1st–10th are free, the 11th–30th cost 100 元 each, and from the 31st each further band of
  10 costs 100 元 more per request (31st–40th 200 元, 41st–50th 300 元, …);
- per page (Art. 5, paper, email or copied electronic data): up to 30 pages free, pages 31–100
  10 元, 101–200 20 元, above 200 40 元 a page.

Gongkai counts an applicant's requests per receiving organ (each organ charges for its own
work), identified by ID document type and number.
"""

import itertools

FREE_REQUESTS_PER_MONTH = 10
FREE_PAGES = 30

# (first page of the band, price per page in 元)
PAGE_BANDS = ((31, 10), (101, 20), (201, 40))


def per_request_fee(nth: int) -> int:
    """The fee in 元 for an applicant's `nth` request (1-based) of a calendar month."""
    if nth < 1:
        raise ValueError("nth counts from 1")
    if nth <= FREE_REQUESTS_PER_MONTH:
        return 0
    if nth <= 30:
        return 100
    return 100 + 100 * ((nth - 31) // 10 + 1)


def per_page_fee(pages: int) -> int:
    """The fee in 元 for providing `pages` pages."""
    if pages < 0:
        raise ValueError("pages cannot be negative")
    total = 0
    bounds = [*PAGE_BANDS, (None, None)]
    for (first, price), (next_first, _price) in itertools.pairwise(bounds):
        last = pages if next_first is None else min(pages, next_first - 1)
        if last >= first:
            total += (last - first + 1) * price
    return total
