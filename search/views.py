"""The public search page: `/search/?q=…` on every site, scoped to the site (the portal searches
every unit), narrowed to one unit with `?unit=<slug>` (the header form of a unit's section sends
it) and by the facets (`class`, `year`, `validity`)."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page, Site

from unit_sites import structure

from .conf import search_config
from .engine import related_labels, run_search
from .highlight import highlight, query_terms, snippet
from .index import flatten

MAX_SUGGESTIONS = 4


def site_queryset(site):
    """What the public may find on a site: live, public pages of the searched model below the
    site's root (drafts are indexed for the admin, so this filter is what keeps them out)."""
    queryset = structure.public(search_config().model.objects.live())
    if site is not None:
        queryset = queryset.descendant_of(site.root_page, inclusive=True)
    return queryset


def public_search(site, query, filters=None, with_facets=True):
    """The search the page runs (the evaluation script and the API run the same)."""
    return run_search(query, site_queryset(site), filters=filters, with_facets=with_facets)


@dataclass
class Result:
    page: Page
    url: str
    title: str
    snippet: str
    doc_number: str
    doc_number_hit: bool
    labels: dict  # facet name -> label of this result's value (unit, class)


def _text_fields(model):
    """The model's own text fields to take a snippet from, most important first (methods and
    properties that only feed the index are left out)."""
    names = {f.name for f in model._meta.get_fields()}
    fields = [
        f
        for f in model.get_searchable_search_fields()
        if f.field_name != "title" and f.field_name in names
    ]
    return sorted(fields, key=lambda f: -(f.boost or 1))


def _snippet_text(page, terms):
    """The first text field (by boost) that mentions a match, else the first with text."""
    texts = []
    for field in _text_fields(type(page)):
        getter = getattr(field, "get_raw_value", None)
        text = getter(page) if getter else flatten(field.get_value(page))
        if text and text.strip():
            texts.append(text)
    lowered = [t.lower() for t in terms]
    for text in texts:
        if any(term in text.lower() for term in lowered):
            return text
    return texts[0] if texts else ""


def _labels(pages):
    """{page pk: {facet name: label}} for the facets on related objects, one query each."""
    config = search_config()
    labels = {page.pk: {} for page in pages}
    model = config.model
    for name, (lookup, _key) in config.facets.items():
        try:
            field = model._meta.get_field(lookup)
        except Exception:
            continue
        if not field.is_relation:
            continue
        ids = {getattr(page, field.attname, None) for page in pages} - {None}
        names = related_labels(field.related_model, _key, needed=ids)
        for page in pages:
            value = names.get(getattr(page, field.attname, None))
            if value is not None:
                labels[page.pk][name] = value[1]
    return labels


def load_results(pks, outcome, request):
    """The pages of one result page, in rank order, with highlighted title and snippet."""
    by_pk = {page.pk: page for page in Page.objects.filter(pk__in=pks).specific()}
    pages = [by_pk[pk] for pk in pks if pk in by_pk]
    labels = _labels(pages)
    terms = query_terms(outcome.query)
    results = []
    for page in pages:
        doc_number = getattr(page, "doc_number", "") or ""
        hit = page.pk in outcome.doc_number_hits
        results.append(
            Result(
                page=page,
                url=page.get_url(request=request) or "",
                title=highlight(page.title, terms),
                snippet=snippet(_snippet_text(page, terms), terms),
                doc_number=highlight(doc_number, [doc_number] if hit else terms),
                doc_number_hit=hit,
                labels=labels[page.pk],
            )
        )
    return results


def _filters_from(request):
    config = search_config()
    return {name: request.GET.get(name, "").strip()[:100] for name in config.facets}


def _url(params, **changes):
    """This search's URL with some parameters changed (a new filter starts at page 1)."""
    merged = {k: v for k, v in params.items() if v}
    for key, value in changes.items():
        if value in (None, ""):
            merged.pop(key, None)
        else:
            merged[key] = value
    return "?" + urlencode(merged)


def _suggestions(site, outcome, filters, params):
    """When nothing is found: the same search without one word, or without one filter,
    each with the number of results it would give."""
    parsed = outcome.query
    suggestions = []
    if len(parsed.parts) > 1:
        for i, part in enumerate(parsed.parts):
            shorter = parsed.without_part(i)
            total = public_search(site, shorter, filters, with_facets=False).total
            if total:
                suggestions.append(
                    {
                        "url": _url(params, q=shorter),
                        "label": _("Without “%(word)s”: %(query)s")
                        % {"word": part.text, "query": shorter},
                        "count": total,
                    }
                )
    for name, value in filters.items():
        if not value:
            continue
        fewer = {**filters, name: ""}
        total = public_search(site, parsed.raw, fewer, with_facets=False).total
        if total:
            suggestions.append(
                {
                    "url": _url(params, **{name: ""}),
                    "label": _("Without the filter “%(value)s”") % {"value": value},
                    "count": total,
                }
            )
    suggestions.sort(key=lambda s: -s["count"])
    return suggestions[:MAX_SUGGESTIONS]


FACET_TITLES = {
    "unit": gettext_lazy("Unit"),
    "class": gettext_lazy("Catalogue class"),
    "year": gettext_lazy("Year"),
    "validity": gettext_lazy("Validity"),
}


def _facet_views(facets, params):
    views = []
    for facet in facets:
        if not facet.values:
            continue
        views.append(
            {
                "name": facet.name,
                "title": FACET_TITLES.get(facet.name, facet.name),
                "selected": facet.selected,
                "clear_url": _url(params, **{facet.name: ""}),
                "values": [
                    {
                        "label": label,
                        "count": count,
                        "selected": key == facet.selected,
                        "url": _url(params, **{facet.name: key}),
                    }
                    for key, label, count in facet.values
                ],
            }
        )
    return views


def _scope_unit(filters):
    config = search_config()
    slug = filters.get(config.unit_field or "", "")
    if not slug or config.unit_model is None:
        return None
    return config.unit_model.objects.filter(slug=slug).first()


def search(request):
    config = search_config()
    site = Site.find_for_request(request)
    query = request.GET.get("q", "").strip()[:200]
    filters = _filters_from(request)
    params = {"q": query, **filters}
    outcome = public_search(site, query, filters) if query else None
    context = {
        "query": query,
        "site": site,
        "params": params,
        "scope_unit": _scope_unit(filters),
        # The column tags of the national site rules (cms.templatetags.site_metadata_tags).
        # ColumnType is the national vocabulary (data, in Chinese), not a translated label.
        "site_metadata": {"ColumnName": _("Search"), "ColumnType": "其他"},
    }
    if outcome is not None:
        paginator = Paginator(outcome.pks, config.per_page)
        page_obj = paginator.get_page(request.GET.get("page"))
        context.update(
            outcome=outcome,
            total=outcome.total,
            page_obj=page_obj,
            results=load_results(list(page_obj.object_list), outcome, request),
            facets=_facet_views(outcome.facets, params),
            truncated=outcome.total > len(outcome.pks),
            shown=len(outcome.pks),
            page_urls={
                "previous": _url(params, page=page_obj.previous_page_number())
                if page_obj.has_previous()
                else None,
                "next": _url(params, page=page_obj.next_page_number())
                if page_obj.has_next()
                else None,
            },
            whole_site_url=_url(params, **{config.unit_field: ""}) if config.unit_field else None,
        )
        if not outcome.pks:
            context["suggestions"] = _suggestions(site, outcome, filters, params)
    return render(request, "search/search.html", context)
