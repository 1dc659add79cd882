"""Disclosure pages' part of provisioning a unit: its catalogue skeleton."""

from .models import CatalogueClassPage, CatalogueIndexPage, CatalogueNode

CATALOGUE_SLUG = "gkml"  # 公开目录, the conventional address of a catalogue


def create_catalogue(unit, spec=None):
    if CatalogueIndexPage.objects.child_of(unit).exists():
        return
    catalogue = CatalogueIndexPage(title="政务公开目录", slug=CATALOGUE_SLUG)
    unit.add_child(instance=catalogue)
    catalogue.save_revision().publish(log_action="unit_sites.provision")
    for node in CatalogueNode.get_root_nodes().filter(level=CatalogueNode.Level.CLASS):
        column = CatalogueClassPage(title=node.name, slug=node.code, node=node)
        catalogue.add_child(instance=column)
        column.save_revision().publish(log_action="unit_sites.provision")
