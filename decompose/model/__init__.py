"""Frozen, typed data passed between the pipeline's stages."""

from decompose.model.clustering import Clustering, SharedModule
from decompose.model.facts import Call, Definition, DefinitionKind, Import, ModuleFacts
from decompose.model.graph import CallStats, Edge, EdgeKind, ModuleGraph
from decompose.model.plan import (
    FORMAT_VERSION,
    SHARED_SERVICE,
    Coupling,
    ModuleEdge,
    Plan,
    PlanFormatError,
    Service,
    ServiceDependency,
    SharedReason,
    Statistics,
    plan_from_json,
    plan_to_dict,
    plan_to_json,
)
from decompose.model.source import Failure, SourceFile

__all__ = [
    "FORMAT_VERSION",
    "SHARED_SERVICE",
    "Call",
    "CallStats",
    "Clustering",
    "Coupling",
    "Definition",
    "DefinitionKind",
    "Edge",
    "EdgeKind",
    "Failure",
    "Import",
    "ModuleFacts",
    "ModuleEdge",
    "ModuleGraph",
    "Plan",
    "PlanFormatError",
    "Service",
    "ServiceDependency",
    "SharedModule",
    "SharedReason",
    "SourceFile",
    "Statistics",
    "plan_from_json",
    "plan_to_dict",
    "plan_to_json",
]
