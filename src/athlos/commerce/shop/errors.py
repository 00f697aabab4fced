"""The shop's errors, each with a stable code: the webhook's refusals are problem+json for the shop."""

from __future__ import annotations

from athlos.core.errors import AppError, Conflict, InvalidInput, NotFound, ServiceUnavailable, Unauthorized


class WebhookNotConfigured(ServiceUnavailable):
    code = "shop_webhook_not_configured"

    def __init__(self) -> None:
        super().__init__("The shop's webhook has no secret configured (ATHLOS_SHOP_WEBHOOK_SECRET).")


class SignatureMissing(Unauthorized):
    code = "shop_signature_missing"

    def __init__(self) -> None:
        super().__init__("The delivery has no Athlos-Shop-Timestamp and Athlos-Shop-Signature headers.")


class SignatureInvalid(Unauthorized):
    code = "shop_signature_invalid"

    def __init__(self) -> None:
        super().__init__("The signature does not match the timestamp and body.")


class DeliveryExpired(Unauthorized):
    code = "shop_delivery_expired"

    def __init__(self) -> None:
        super().__init__("The delivery's timestamp is more than five minutes away from now.")


class DeliveryReplayed(Conflict):
    code = "shop_delivery_replayed"

    def __init__(self) -> None:
        super().__init__("This delivery was received already.")


class OrderAlreadyRecorded(Conflict):
    """The order was confirmed before: nothing changes. The shop may treat this as done."""

    code = "shop_order_already_recorded"

    def __init__(self, conversion_id: str) -> None:
        super().__init__("This order is recorded already.", conversion_id=conversion_id)


class UnknownClick(InvalidInput):
    code = "shop_unknown_click"

    def __init__(self) -> None:
        super().__init__("No link from Athlos has this click id.", field="click_id")


class UnknownProduct(InvalidInput):
    code = "shop_unknown_product"

    def __init__(self) -> None:
        super().__init__("The catalogue has no product with this id.", field="product_id")


class InvalidPurchase(InvalidInput):
    code = "shop_invalid_purchase"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("The purchase is not as the webhook's schema says.", errors=errors)


class OfferNotFound(NotFound):
    code = "gear_offer_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such offer.")


__all__ = [
    "AppError",
    "DeliveryExpired",
    "DeliveryReplayed",
    "InvalidPurchase",
    "OfferNotFound",
    "OrderAlreadyRecorded",
    "SignatureInvalid",
    "SignatureMissing",
    "UnknownClick",
    "UnknownProduct",
    "WebhookNotConfigured",
]
