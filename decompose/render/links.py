"""How the report names a service anywhere: colour, tint and the anchor of its card."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from decompose.model.plan import SHARED_SERVICE, Service
from decompose.render.format import SHARED_COLOUR, SHARED_TINT, service_colour

SHARED_ANCHOR = "shared-kernel"


@dataclass(frozen=True, slots=True)
class ServiceLink:
    """A service named from elsewhere in the report, with its colour and card anchor."""

    name: str
    anchor: str
    colour: str
    tint: str
    is_shared: bool = False


def service_links(services: Iterable[Service]) -> dict[str, ServiceLink]:
    """A link per service, coloured in plan order; the shared kernel is grey."""
    links: dict[str, ServiceLink] = {}
    index = 0
    for service in services:
        if service.is_shared:
            links[service.name] = ServiceLink(
                service.name, SHARED_ANCHOR, SHARED_COLOUR, SHARED_TINT, is_shared=True
            )
            continue
        colour, tint = service_colour(index)
        links[service.name] = ServiceLink(service.name, f"service-{index}", colour, tint)
        index += 1
    return links


def link_for(name: str, links: Mapping[str, ServiceLink]) -> ServiceLink:
    """The link of `name`; a name without a service entry still gets a neutral swatch."""
    if name in links:
        return links[name]
    # Only the shared kernel gets an anchor: its section exists even without a service entry.
    shared = name == SHARED_SERVICE
    return ServiceLink(name, SHARED_ANCHOR if shared else "", SHARED_COLOUR, SHARED_TINT, shared)


def ordered_services(services: Iterable[Service]) -> list[Service]:
    """Services in plan order with the shared kernel last: the order of matrix and graph."""
    listed = list(services)
    return [s for s in listed if not s.is_shared] + [s for s in listed if s.is_shared]
