"""commerce: the catalogue (products, offers per country, imports) and the shop (links shown, clicks,
confirmed purchases, webhook deliveries, gear offers)

Revision ID: c1a0catalog01
Revises: b1a0leaders01
Create Date: 2026-12-02 07:51:59.341858
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "c1a0catalog01"
down_revision: str | None = "b1a0leaders01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commerce_catalog_import",
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commerce_catalog_import")),
    )
    with op.batch_alter_table("commerce_catalog_import", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commerce_catalog_import_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "commerce_product",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("brand", sa.String(length=80), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("sports", sa.JSON(), nullable=False),
        sa.Column("terrain", sa.String(length=16), nullable=True),
        sa.Column("cushioning", sa.String(length=16), nullable=True),
        sa.Column("drop_mm", sa.Float(), nullable=True),
        sa.Column("weight_g", sa.Float(), nullable=True),
        sa.Column("lifespan_km", sa.Float(), nullable=True),
        sa.Column("images", sa.JSON(), nullable=False),
        sa.Column("shop_url", sa.String(length=500), nullable=False),
        sa.Column("successor_id", sa.String(length=64), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("retired_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commerce_product")),
    )
    with op.batch_alter_table("commerce_product", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commerce_product_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_commerce_product_sku"), ["sku"], unique=False)

    op.create_table(
        "commerce_shop_impression",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=10), nullable=False),
        sa.Column("placement", sa.String(length=32), nullable=False),
        sa.Column("promotion", sa.String(length=64), nullable=False),
        sa.Column("shown", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "country", "region", "placement", "promotion", name=op.f("pk_commerce_shop_impression")
        ),
    )
    op.create_table(
        "commerce_webhook_delivery",
        sa.Column("signature_digest", sa.String(length=64), nullable=False),
        sa.Column("received_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("signature_digest", name=op.f("pk_commerce_webhook_delivery")),
    )
    with op.batch_alter_table("commerce_webhook_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commerce_webhook_delivery_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "commerce_product_offer",
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["commerce_product.id"],
            name=op.f("fk_commerce_product_offer_product_id_commerce_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("product_id", "country", name=op.f("pk_commerce_product_offer")),
    )
    op.create_table(
        "commerce_shop_click",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("placement", sa.String(length=32), nullable=False),
        sa.Column("promotion", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=10), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["commerce_product.id"],
            name=op.f("fk_commerce_shop_click_product_id_commerce_product"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_commerce_shop_click_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commerce_shop_click")),
        sa.UniqueConstraint("token", name=op.f("uq_commerce_shop_click_token")),
    )
    with op.batch_alter_table("commerce_shop_click", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commerce_shop_click_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_commerce_shop_click_product_id"), ["product_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commerce_shop_click_user_id"), ["user_id"], unique=False)

    op.create_table(
        "commerce_shop_conversion",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("click_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("purchased_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["click_id"],
            ["commerce_shop_click.id"],
            name=op.f("fk_commerce_shop_conversion_click_id_commerce_shop_click"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["commerce_product.id"],
            name=op.f("fk_commerce_shop_conversion_product_id_commerce_product"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_commerce_shop_conversion_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commerce_shop_conversion")),
        sa.UniqueConstraint("order_id", name=op.f("uq_commerce_shop_conversion_order_id")),
    )
    with op.batch_alter_table("commerce_shop_conversion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commerce_shop_conversion_click_id"), ["click_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_commerce_shop_conversion_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_commerce_shop_conversion_user_id"), ["user_id"], unique=False)

    op.create_table(
        "commerce_gear_offer",
        sa.Column("conversion_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("gear_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversion_id"],
            ["commerce_shop_conversion.id"],
            name=op.f("fk_commerce_gear_offer_conversion_id_commerce_shop_conversion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["commerce_product.id"],
            name=op.f("fk_commerce_gear_offer_product_id_commerce_product"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_commerce_gear_offer_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conversion_id", name=op.f("pk_commerce_gear_offer")),
    )
    with op.batch_alter_table("commerce_gear_offer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commerce_gear_offer_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("commerce_gear_offer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commerce_gear_offer_user_id"))

    op.drop_table("commerce_gear_offer")
    with op.batch_alter_table("commerce_shop_conversion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commerce_shop_conversion_user_id"))
        batch_op.drop_index(batch_op.f("ix_commerce_shop_conversion_product_id"))
        batch_op.drop_index(batch_op.f("ix_commerce_shop_conversion_click_id"))

    op.drop_table("commerce_shop_conversion")
    with op.batch_alter_table("commerce_shop_click", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commerce_shop_click_user_id"))
        batch_op.drop_index(batch_op.f("ix_commerce_shop_click_product_id"))
        batch_op.drop_index(batch_op.f("ix_commerce_shop_click_created_at"))

    op.drop_table("commerce_shop_click")
    op.drop_table("commerce_product_offer")
    with op.batch_alter_table("commerce_webhook_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commerce_webhook_delivery_received_at"))

    op.drop_table("commerce_webhook_delivery")
    op.drop_table("commerce_shop_impression")
    with op.batch_alter_table("commerce_product", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commerce_product_sku"))
        batch_op.drop_index(batch_op.f("ix_commerce_product_category"))

    op.drop_table("commerce_product")
    with op.batch_alter_table("commerce_catalog_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commerce_catalog_import_created_at"))

    op.drop_table("commerce_catalog_import")
