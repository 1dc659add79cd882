"""What the 法定主动公开内容 and 年报 columns list."""

from annual_reports.models import AnnualReportPage
from disclosure_pages.models import CatalogueClassPage, CatalogueIndexPage, CatalogueNode

from .article20 import ARTICLE_20


def article20_rows(unit, request):
    """The Art. 20 items, each with links to the unit's catalogue columns (filtered on the key
    kind) that hold it: [{number, title, links: [{label, url}]}]."""
    if unit is None:
        return []
    catalogue = CatalogueIndexPage.objects.child_of(unit).live().first()
    columns = {}
    if catalogue is not None:
        for column in CatalogueClassPage.objects.child_of(catalogue).live().select_related("node"):
            columns[column.node.code] = column
    kinds = dict(
        CatalogueNode.objects.filter(level=CatalogueNode.Level.KEY_KIND).values_list("code", "name")
    )
    rows = []
    for number, title, places in ARTICLE_20:
        links = []
        for class_code, kind_code in places:
            column = columns.get(class_code)
            if column is None or (kind_code is not None and kind_code not in kinds):
                continue
            url = column.get_url(request)
            label = column.title
            if kind_code is not None:
                url = f"{url}?kind={kind_code}"
                label = f"{column.title} · {kinds[kind_code]}"
            links.append({"label": label, "url": url})
        rows.append({"number": number, "title": title, "links": links})
    return rows


def annual_report_listing(unit, request):
    """The unit's published reports, newest year first; on the portal (the tree's top unit)
    every unit's reports of the chosen year (?year=), by unit."""
    if unit is None:
        return {"reports": []}
    reports = AnnualReportPage.objects.live().public().select_related("unit")
    if unit.depth > 2:
        own = reports.filter(unit=unit).order_by("-report_year")
        return {"reports": list(own)}
    years = sorted(set(reports.values_list("report_year", flat=True)), reverse=True)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else None
    of_year = (
        list(reports.filter(report_year=year).order_by("unit__path")) if year is not None else []
    )
    return {
        "reports": [report for report in of_year if report.unit_id == unit.pk],
        "portal": True,
        "years": years,
        "year": year,
        "all_reports": of_year,
    }
