"""Customer accounts: registration, login, profile and address book."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from shop.db.repository import NotFoundError, Repository
from shop.db.session import Session
from shop.models.address import Address, postcode_is_valid
from shop.models.customer import Customer
from shop.utils.logging_config import get_logger
from shop.utils.validation import ValidationError, require, require_fields
from shop.utils.validation import validate_country, validate_email, validate_phone

log = get_logger(__name__)

PBKDF2_ROUNDS = 310_000


class AuthenticationError(Exception):
    """Wrong e-mail or password (deliberately not saying which)."""


class CustomerRepository(Repository[Customer]):
    model = Customer

    def by_email(self, email: str) -> Customer | None:
        customer = self.find_one(email=email)
        return None if customer is None or customer.is_deleted else customer


class AddressRepository(Repository[Address]):
    model = Address


def hash_password(password: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), PBKDF2_ROUNDS)
    return f"pbkdf2${PBKDF2_ROUNDS}${salt}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    _, rounds, salt, expected = stored.split("$")
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(rounds))
    return hmac.compare_digest(digest.hex(), expected)


def register_customer(session: Session, data: dict[str, Any]) -> Customer:
    require_fields(data, "email", "password", "first_name", "last_name")
    customers = CustomerRepository(session)
    email = validate_email(data["email"])
    if customers.by_email(email) is not None:
        raise ValidationError("email", "an account with this e-mail already exists")
    require(len(data["password"]) >= 10, "password", "must be at least 10 characters")
    customer = Customer(
        email=email,
        first_name=data["first_name"].strip(),
        last_name=data["last_name"].strip(),
        password_hash=hash_password(data["password"]),
        marketing_opt_in=bool(data.get("marketing_opt_in", False)),
    )
    log.info("registered customer %s", email)
    return customers.add(customer)


def authenticate(session: Session, email: str, password: str) -> Customer:
    customer = CustomerRepository(session).by_email(email.strip().lower())
    if customer is None or not verify_password(password, customer.password_hash):
        raise AuthenticationError("invalid credentials")
    customer.record_login()
    return customer


def get_customer(session: Session, customer_id: int) -> Customer:
    customer = CustomerRepository(session).get_or_raise(customer_id)
    if customer.is_deleted:
        raise NotFoundError(Customer, customer_id)
    return customer


def update_profile(session: Session, customer_id: int, changes: dict[str, Any]) -> Customer:
    customer = get_customer(session, customer_id)
    if "first_name" in changes:
        customer.first_name = changes["first_name"].strip()
    if "last_name" in changes:
        customer.last_name = changes["last_name"].strip()
    if "phone" in changes:
        customer.phone = validate_phone(changes["phone"]) if changes["phone"] else None
    if "marketing_opt_in" in changes:
        customer.marketing_opt_in = bool(changes["marketing_opt_in"])
    return customer


def add_address(session: Session, customer_id: int, data: dict[str, Any]) -> Address:
    require_fields(data, "line1", "city", "postcode", "country")
    customer = get_customer(session, customer_id)
    country = validate_country(data["country"])
    require(postcode_is_valid(country, data["postcode"]), "postcode", f"invalid for {country}")
    address = Address(
        customer_id=customer.id,
        label=data.get("label", "Home"),
        recipient=data.get("recipient") or customer.full_name,
        line1=data["line1"].strip(),
        line2=data.get("line2", "").strip(),
        city=data["city"].strip(),
        postcode=data["postcode"].strip().upper(),
        country=country,
        is_default_shipping=not customer.addresses,
    )
    return AddressRepository(session).add(address)


def list_addresses(session: Session, customer_id: int) -> list[Address]:
    return AddressRepository(session).list(customer_id=customer_id)


def set_default_shipping(session: Session, customer_id: int, address_id: int) -> Address:
    chosen = None
    for address in list_addresses(session, customer_id):
        address.is_default_shipping = address.id == address_id
        chosen = address if address.id == address_id else chosen
    if chosen is None:
        raise NotFoundError(Address, address_id)
    return chosen


def anonymize_customer(session: Session, customer_id: int) -> None:
    """GDPR erasure: keep the row for bookkeeping, drop personal data."""
    customer = get_customer(session, customer_id)
    customer.email = f"erased-{customer.id}@invalid.example"
    customer.first_name = customer.last_name = "erased"
    customer.phone = None
    customer.password_hash = hash_password(secrets.token_urlsafe(32))
    for address in list_addresses(session, customer_id):
        AddressRepository(session).delete(address)
    customer.soft_delete()


def customer_to_dict(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.id,
        "email": customer.email,
        "name": customer.full_name,
        "tier": customer.tier.value,
        "loyalty_points": customer.loyalty_points,
        "marketing_opt_in": customer.marketing_opt_in,
    }
