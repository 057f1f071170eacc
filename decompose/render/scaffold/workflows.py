"""Sagas -> Step Functions definitions (Amazon States Language) with their compensations.

Each step calls its service's HTTP API through the optimised API Gateway integration, signed
with the state machine's role; the endpoints come in as definition substitutions (the
service's own API, or a parameter holding another service's URL), so the workflow never
reaches into another stack. When a step fails, the steps already done are undone in reverse
order, each compensation retried, and the execution ends in a Fail state naming what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from decompose.model.contracts import Operation, Saga
from decompose.render.scaffold.functions import route_of, to_json
from decompose.render.scaffold.names import pascal, prose, snake

MAX_STATE_NAME = 80  # the States Language limit
SUCCEEDED = "Succeeded"
FAILED = "SagaFailed"
COMPENSATION_FAILED = "CompensationFailed"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A definition substitution naming one service's API host."""

    key: str  # the ${...} name in the definition
    service: str
    own: bool
    parameter: str  # the template parameter holding the service's URL ("" when own)


@dataclass(frozen=True, slots=True)
class StepView:
    """One step of a workflow, for the README."""

    service: str
    action: str
    compensation: str


@dataclass(frozen=True, slots=True)
class Workflow:
    """A state machine of the repository: its folder, resource and definition."""

    name: str  # folder under workflows/
    logical_id: str
    saga: str
    function: str  # the monolith function the flow starts in
    steps: tuple[StepView, ...]
    endpoints: tuple[Endpoint, ...]
    definition_json: str
    output_description: str


OperationLookup = Callable[[str, str], Operation | None]


def build_workflow(
    saga: Saga, folder: str, lookup: OperationLookup, endpoints: dict[str, Endpoint]
) -> Workflow:
    """The workflow of `saga`; `lookup(service, operation_id)` finds what each step calls."""
    used = sorted({step.service for step in saga.steps})
    return Workflow(
        name=folder,
        logical_id=pascal(folder, "Workflow") + "StateMachine",
        saga=prose(saga.name),
        function=prose(saga.function),
        steps=tuple(
            StepView(prose(s.service), prose(s.action), prose(s.compensation)) for s in saga.steps
        ),
        endpoints=tuple(endpoints[s] for s in used),
        definition_json=to_json(definition(saga, lookup, endpoints)),
        output_description=prose(f"Start it from the code of {saga.function} (StartExecution)"),
    )


def definition(
    saga: Saga, lookup: OperationLookup, endpoints: dict[str, Endpoint]
) -> dict[str, Any]:
    """The States Language document of a saga."""
    steps = saga.steps
    names = [_state_name(f"Step{i + 1}", s.action) for i, s in enumerate(steps)]
    undo = [
        _state_name(f"Undo{i + 1}", s.compensation) if s.compensation else ""
        for i, s in enumerate(steps)
    ]
    states: dict[str, Any] = {}
    for i, step in enumerate(steps):
        task = _task(step.service, step.action, lookup, endpoints)
        task["Comment"] = prose(f"{step.action} on the {step.service} service")
        task["ResultPath"] = f"$.results.{names[i]}"
        task["Retry"] = [_retry(2)]
        task["Catch"] = [_catch(_first_compensation(undo, i))]
        task["Next"] = names[i + 1] if i + 1 < len(steps) else SUCCEEDED
        states[names[i]] = task
        if undo[i]:
            compensation = _task(step.service, step.compensation, lookup, endpoints)
            compensation["Comment"] = prose(f"Undo {step.action}: {step.compensation}")
            compensation["ResultPath"] = f"$.compensations.{undo[i]}"
            compensation["Retry"] = [_retry(5)]
            compensation["Catch"] = [_catch(COMPENSATION_FAILED)]
            compensation["Next"] = _first_compensation(undo, i)
            states[undo[i]] = compensation
    states[SUCCEEDED] = {"Type": "Succeed"}
    states[FAILED] = {
        "Type": "Fail",
        "Error": "SagaFailed",
        "Cause": "A step failed; the steps done before it were compensated.",
    }
    states[COMPENSATION_FAILED] = {
        "Type": "Fail",
        "Error": "CompensationFailed",
        "Cause": "A compensation failed after its retries: the data needs a person to repair.",
    }
    return {
        "Comment": prose(
            f"{saga.name}: the flow that starts in {saga.function}, coordinated by "
            f'{saga.coordinator}. Input: {{"request": {{...}}}}, the request of each step.'
        ),
        "StartAt": names[0] if names else SUCCEEDED,
        "States": states,
    }


def _state_name(prefix: str, action: str) -> str:
    return (prefix + pascal(action, "Action"))[:MAX_STATE_NAME]


def _first_compensation(undo: list[str], failed: int) -> str:
    # The steps before the failed one are undone, latest first; a step without a
    # compensation (the pivot) is passed over.
    return next((undo[j] for j in range(failed - 1, -1, -1) if undo[j]), FAILED)


def _retry(attempts: int) -> dict[str, Any]:
    return {
        "ErrorEquals": ["States.TaskFailed", "States.Timeout"],
        "IntervalSeconds": 2,
        "MaxAttempts": attempts,
        "BackoffRate": 2,
    }


def _catch(target: str) -> dict[str, Any]:
    return {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": target}


def _task(
    service: str, operation_id: str, lookup: OperationLookup, endpoints: dict[str, Endpoint]
) -> dict[str, Any]:
    op = lookup(service, operation_id)
    method, path = (op.method.upper(), op.path) if op else ("POST", "/" + snake(operation_id))
    route = route_of(path, operation_id)
    parameters: dict[str, Any] = {
        "ApiEndpoint": f"${{{endpoints[service].key}}}",
        "Method": method,
        "Stage": "$default",
        "AuthType": "IAM_ROLE",
    }
    if route.parameters:
        placeholders = route.path
        for name in route.parameters:
            placeholders = placeholders.replace(f"{{{name}}}", "{}")
        values = ", ".join(f"$.request.{name}" for name in route.parameters)
        parameters["Path.$"] = f"States.Format('{placeholders}', {values})"
    else:
        parameters["Path"] = route.path
    if method != "GET":
        parameters["RequestBody.$"] = "$.request"
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::apigateway:invoke",
        "Parameters": parameters,
        "ResultSelector": {"status.$": "$.StatusCode", "body.$": "$.ResponseBody"},
    }


def endpoint_for(service: str, own: str, key: str) -> Endpoint:
    """The substitution for `service`'s API host, seen from the repository of `own`.

    `key` is the service's name as a CloudFormation identifier, unique in the plan.
    """
    if service == own:
        return Endpoint("OwnApiEndpoint", prose(service), True, "")
    return Endpoint(f"{key}ApiEndpoint", prose(service), False, f"{key}ApiUrl")
