"""Contracts: AsyncAPI, OpenAPI and JSON Schema documents, their validation, the saved plan."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from decompose import api
from decompose.config import build_options
from decompose.model import (
    FORMAT_VERSION,
    Cycle,
    CycleBreak,
    Dependency,
    DependencyKind,
    Event,
    MigrationStep,
    Operation,
    Ownership,
    Saga,
    SagaStep,
    SchemaField,
    ServiceInterfaces,
    SourceRef,
    plan_from_json,
    plan_to_json,
)
from decompose.render import contracts as contracts_module
from decompose.render.contract_checks import (
    ContractError,
    asyncapi_problems,
    json_schema_problems,
    openapi_problems,
)
from decompose.render.contracts import (
    contract_files,
    event_schema,
    render_contracts,
)
from tests.conftest import ROOT
from tests.test_render import make_plan

# The checksum the vendored schema's README records.
ASYNCAPI_SHA256 = "d4571a420e6ffb7fcc7066c95a6db1202f299a3c51daa103d0706bf30f95e626"

REF = SourceRef("orders.services", "orders.services.place_order", 12)
ORDER_FIELDS = (
    SchemaField("id", "integer", True, description="primary key"),
    SchemaField("total", "number", True),
    SchemaField("placed_at", "string", False, "date-time"),
    SchemaField(
        "customer_id", "integer", True, reference="accounts.models.User", description="id of User"
    ),
    SchemaField("tags", "array", False, items="string"),
    SchemaField("notes", "", False, description="type unknown: JSONish"),
)
INTERFACES = ServiceInterfaces(
    operations=(
        Operation(
            service="orders",
            operation_id="getOrder",
            kind=DependencyKind.QUERY,
            method="GET",
            path="/orders/{order_id}",
            function="orders.selectors.get_order",
            parameters=(
                SchemaField("order_id", "integer", True),
                SchemaField("expand", "", False, description="type unknown"),
            ),
            response=ORDER_FIELDS,
            response_known=True,
            callers=(SourceRef("shipping.views", "shipping.views.label", 3),),
            consumers=("shipping",),
        ),
        Operation(
            service="orders",
            operation_id="listOrders",
            kind=DependencyKind.QUERY,
            method="GET",
            path="/orders",
            function="",
            parameters=(),
            response=(SchemaField("items", "array", True, items="object", entity="o.Order"),),
            response_known=True,
            callers=(),
            consumers=("shipping",),
            origin="read",
        ),
        Operation(
            service="orders",
            operation_id="markShipped",
            kind=DependencyKind.COMMAND,
            method="POST",
            path="/mark-shipped",
            function="orders.services.mark_shipped",
            parameters=(SchemaField("order", "integer", True, reference="o.Order"),),
            response=(),
            response_known=False,
            callers=(),
            consumers=("shipping",),
            result_used=False,
        ),
        Operation(
            service="orders",
            operation_id="quote",
            kind=DependencyKind.QUERY,
            method="GET",
            path="/quote",
            function="orders.pricing.quote",
            parameters=(),
            response=(),
            response_known=False,
            callers=(),
            consumers=("shipping",),
        ),
    ),
    events=(
        Event(
            service="orders",
            name="OrderPlaced",
            entity="o.Order",
            origin="lifecycle",
            payload=ORDER_FIELDS,
            triggers=(REF,),
            consumers=("shipping", "mail"),
        ),
        Event(
            service="orders",
            name="SendReceipt",
            entity="",
            origin="task",
            payload=(SchemaField("order_id", "integer", True),),
            triggers=(REF,),
            consumers=("mail",),
        ),
        Event(
            service="stock",
            name="StockReserved",
            entity="",
            origin="signal",
            payload=(),
            triggers=(),
            consumers=("orders",),
            payload_known=False,
        ),
    ),
    dependencies=(
        Dependency("shipping", "orders", DependencyKind.QUERY, "getOrder", "why", (REF,)),
    ),
    ownership=(
        Ownership(
            "o.Order", "orders", "orders_order", (), ("shipping",), "o", "django", ORDER_FIELDS
        ),
    ),
    cycles=(Cycle(("a", "b"), (REF, REF), "merge", "merge a and b", (3, 3)),),
    breaks=(CycleBreak("b", "a", 3, 1, "merge b and a, or: a publishes events"),),
    sagas=(
        Saga(
            "PlaceOrderSaga",
            "orders",
            "orders.services.place_order",
            (
                SagaStep("stock", "reserveStock", "releaseStock", "i.release_stock", 3, ("i.S",)),
                SagaStep("orders", "placeOrder", ""),
            ),
            10,
        ),
    ),
    migration=(MigrationStep(1, "stock", ("stock",), ("reserveStock",), (), 4, "leaf", (), 9),),
    notes=("a note",),
)


def load(text: str) -> Any:
    return yaml.safe_load(text)


def test_the_vendored_asyncapi_schema_is_the_official_one() -> None:
    data = resources.files("decompose").joinpath("schemas", "asyncapi-3.0.0.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == ASYNCAPI_SHA256
    readme = (ROOT / "decompose" / "schemas" / "README.md").read_text(encoding="utf-8")
    assert ASYNCAPI_SHA256 in readme and "Apache-2.0" in readme


def test_event_schemas_are_json_schema_2020_12_with_a_stable_id() -> None:
    schema = event_schema(INTERFACES.events[0])
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:decompose:orders:events:OrderPlaced:v1"
    assert schema["required"] == ["customer_id", "id", "total"]
    props = schema["properties"]
    assert props["placed_at"] == {"type": "string", "format": "date-time"}
    assert props["customer_id"]["x-references"] == "accounts.models.User"
    assert props["tags"]["items"] == {"type": "string"}
    assert "type" not in props["notes"] and "unknown" in props["notes"]["description"]
    assert json_schema_problems(schema) == []


def test_a_service_gets_its_three_kinds_of_contract_files() -> None:
    files = contract_files(INTERFACES, "orders")
    assert sorted(files) == [
        "asyncapi.yaml",
        "events/OrderPlaced.v1.schema.json",
        "events/SendReceipt.v1.schema.json",
        "openapi.yaml",
    ]
    assert sorted(contract_files(INTERFACES, "mail")) == ["asyncapi.yaml", "openapi.yaml"]


def test_asyncapi_has_channels_send_and_receive_eventbridge_and_cloudevents() -> None:
    doc = load(contract_files(INTERFACES, "orders")["asyncapi.yaml"])
    assert doc["asyncapi"] == "3.0.0"
    assert set(doc["channels"]) == {
        "orders.OrderPlaced",
        "orders.SendReceipt",
        "stock.StockReserved",
    }
    ops = doc["operations"]
    assert ops["publishOrderPlaced"]["action"] == "send"
    assert ops["receiveStockReserved"]["action"] == "receive"
    assert ops["publishOrderPlaced"]["channel"] == {"$ref": "#/channels/orders.OrderPlaced"}
    message = doc["components"]["messages"]["orders.OrderPlaced"]
    assert message["x-eventbridge"] == {"source": "orders", "detail-type": "OrderPlaced"}
    headers = message["headers"]
    assert headers["required"] == ["id", "source", "specversion", "type"]
    assert headers["properties"]["specversion"]["const"] == "1.0"
    assert headers["properties"]["source"]["const"] == "orders"
    unknown = doc["components"]["schemas"]["stock.StockReserved"]
    assert unknown["properties"] == {} and "payload is unknown" in unknown["description"]
    assert asyncapi_problems(doc) == []


def test_openapi_has_one_operation_per_call_and_says_what_it_does_not_know() -> None:
    doc = load(contract_files(INTERFACES, "orders")["openapi.yaml"])
    assert doc["openapi"] == "3.1.0"
    get = doc["paths"]["/orders/{order_id}"]["get"]
    assert [(p["name"], p["in"], p["required"]) for p in get["parameters"]] == [
        ("order_id", "path", True),
        ("expand", "query", False),
    ]
    body = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["properties"]["customer_id"]["x-references"] == "accounts.models.User"
    listed = doc["paths"]["/orders"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"]["properties"]["items"]["items"] == {
        "$ref": "#/components/schemas/Order"
    }
    assert "Order" in doc["components"]["schemas"]
    post = doc["paths"]["/mark-shipped"]["post"]
    assert list(post["responses"]) == ["204"]
    assert post["x-monolith-function"] == "orders.services.mark_shipped"
    quote = doc["paths"]["/quote"]["get"]["responses"]["200"]["content"]["application/json"]
    assert "unknown" in quote["schema"]["description"] and "type" not in quote["schema"]
    assert openapi_problems(doc) == []


def test_contract_text_is_deterministic_yaml_with_sorted_keys_and_no_aliases() -> None:
    first = contract_files(INTERFACES, "orders")
    assert first == contract_files(INTERFACES, "orders")
    for name, text in first.items():
        assert "&id" not in text and "*id" not in text
        if name.endswith(".yaml"):
            top = [line.split(":")[0] for line in text.splitlines() if line and line[0] != " "]
            assert top == sorted(top)


def _asyncapi() -> dict[str, Any]:
    doc: dict[str, Any] = load(contract_files(INTERFACES, "orders")["asyncapi.yaml"])
    return doc


def test_asyncapi_semantic_checks_catch_what_json_schema_misses() -> None:
    doc = _asyncapi()
    doc["channels"]["orders.OrderPlaced"]["messages"]["OrderPlaced"] = {
        "$ref": "#/components/messages/Nope"
    }
    assert any("does not resolve" in p for p in asyncapi_problems(doc))
    doc = _asyncapi()
    doc["operations"]["publishOrderPlaced"]["channel"] = {"$ref": "#/components/messages/x"}
    assert any("no channel of the document" in p for p in asyncapi_problems(doc))
    doc = _asyncapi()
    doc["operations"]["publishOrderPlaced"]["messages"] = [
        {"$ref": "#/channels/orders.SendReceipt/messages/SendReceipt"}
    ]
    assert any("not one of its channel's" in p for p in asyncapi_problems(doc))
    doc = _asyncapi()
    doc["channels"]["orders.SendReceipt"]["address"] = "orders.OrderPlaced.v1"
    assert any("used twice" in p for p in asyncapi_problems(doc))
    doc = _asyncapi()
    doc["operations"]["publishOrderPlaced"]["action"] = "publish"  # AsyncAPI 2 wording
    assert asyncapi_problems(doc)


def test_openapi_and_json_schema_checks_catch_invalid_documents() -> None:
    doc = load(contract_files(INTERFACES, "orders")["openapi.yaml"])
    doc["paths"]["/quote"]["get"]["operationId"] = "getOrder"
    assert any("not unique" in p for p in openapi_problems(doc))
    doc = load(contract_files(INTERFACES, "orders")["openapi.yaml"])
    doc["paths"]["/orders"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Missing"
    }
    assert any("does not resolve" in p for p in openapi_problems(doc))
    assert json_schema_problems({"type": 5})


def test_an_invalid_contract_is_an_internal_error_naming_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = contracts_module.openapi_document

    def broken(*args: Any, **kwargs: Any) -> dict[str, Any]:
        doc = real(*args, **kwargs)
        doc["paths"]["/broken/{id}"] = {"get": {"responses": {"200": {"description": "x"}}}}
        return doc

    monkeypatch.setattr(contracts_module, "openapi_document", broken)
    with pytest.raises(ContractError, match=r"contracts/orders/openapi\.yaml is not a valid"):
        contract_files(INTERFACES, "orders")


def test_analyze_fails_loudly_and_writes_nothing_when_a_contract_is_invalid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contracts_module, "asyncapi_problems", lambda doc: ["bad on purpose"])
    out = tmp_path / "out"
    options = build_options(ROOT / "examples" / "tiny_bookshop", out, jobs=1, use_cache=False)
    with pytest.raises(ContractError, match="asyncapi.yaml is not a valid asyncapi document"):
        api.analyze(options)
    assert not (out / "plan.json").exists()


def test_analyze_writes_contracts_and_report_rerenders_them(tmp_path: Path) -> None:
    out = tmp_path / "a"
    options = build_options(
        ROOT / "examples" / "tiny_bookshop", out, weights=("cochange=0", "authors=0"), jobs=1
    )
    written = api.analyze(options).written
    contracts = sorted(p.relative_to(out).as_posix() for p in written if "contracts" in p.parts)
    assert (
        "contracts/stock/openapi.yaml" in contracts and "contracts/order/asyncapi.yaml" in contracts
    )
    again = api.report(out / "plan.json", tmp_path / "b")
    for path in again:
        relative = path.relative_to(tmp_path / "b")
        assert path.read_bytes() == (out / relative).read_bytes()


def test_the_plan_saves_and_reads_back_its_interfaces() -> None:
    plan = replace(make_plan(), interfaces=INTERFACES)
    text = plan_to_json(plan)
    data = json.loads(text)
    assert data["format_version"] == FORMAT_VERSION == 4
    assert data["interfaces"]["operations"][0]["kind"] == "query"
    assert data["interfaces"]["ownership"][0]["owner"] == "orders"
    back = plan_from_json(text)
    assert back.interfaces == INTERFACES
    assert plan_to_json(back) == text


def test_a_plan_without_services_has_no_contracts() -> None:
    assert render_contracts(replace(make_plan(), services=())) == {}


def test_odd_service_names_still_give_valid_contracts() -> None:
    event = replace(INTERFACES.events[0], service="my svc ü", consumers=("other/one",))
    interfaces = replace(INTERFACES, events=(event,))
    assert "asyncapi.yaml" in contract_files(interfaces, "my svc ü")
    assert "asyncapi.yaml" in contract_files(interfaces, "other/one")


def test_contracts_of_renamed_services_go_and_edited_contracts_stay(tmp_path: Path) -> None:
    from decompose.render.contract_output import write_contracts

    first = {
        "contracts/stock/openapi.yaml": "stock: 1\n",
        "contracts/order/openapi.yaml": "order: 1\n",
        "contracts/cart/openapi.yaml": "cart: 1\n",
    }
    write_contracts(tmp_path, first, "plan 1")
    (tmp_path / "contracts/order/openapi.yaml").write_text("order: edited\n", encoding="utf-8")
    (tmp_path / "contracts/cart/openapi.yaml").write_text("cart: edited\n", encoding="utf-8")
    second = {
        "contracts/stock-item/openapi.yaml": "stock: 2\n",
        "contracts/order/openapi.yaml": "order: 2\n",
    }
    done = write_contracts(tmp_path, second, "plan 2")
    contracts = tmp_path / "contracts"
    assert not (contracts / "stock").exists()  # renamed: the unedited old contract goes
    assert (contracts / "stock-item/openapi.yaml").read_text(encoding="utf-8") == "stock: 2\n"
    assert (contracts / "order/openapi.yaml").read_text(encoding="utf-8") == "order: edited\n"
    assert (contracts / "order/openapi.yaml.new").read_text(encoding="utf-8") == "order: 2\n"
    assert done.conflicts == (contracts / "order/openapi.yaml",)
    assert done.orphans == (contracts / "cart/openapi.yaml",)  # edited and gone: kept
    assert (contracts / "cart/openapi.yaml").is_file()
    again = write_contracts(tmp_path, second, "plan 2")
    assert contracts / "stock-item/openapi.yaml" in again.unchanged
