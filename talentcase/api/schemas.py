"""The API's own shapes: its errors and the signed-in user."""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import OneOf

from talentcase.common.roles import STAFF_ROLES
from talentcase.common.schemas import every_field_present

LANGUAGE_CHOICES = ("en", "zh_Hant_HK")


class ErrorDetailSchema(Schema):
    class Meta:
        unknown = "include"  # an error may say more (fields, missing, ...)

    code = fields.String(required=True)
    message = fields.String(required=True)


class ErrorSchema(Schema):
    """{"error": {"code", "message", ...}}"""

    class Meta:
        unknown = "include"

    error = fields.Nested(ErrorDetailSchema, required=True)


class FailureSchema(Schema):
    class Meta:
        unknown = "include"

    check = fields.String()
    reason = fields.String()


@every_field_present
class QuotaRefSchema(Schema):
    id = fields.Integer()
    reference = fields.String()
    valid_until = fields.Date()


class CaseErrorDetailSchema(ErrorDetailSchema):
    field_errors = fields.Dict(keys=fields.String(), values=fields.String(), data_key="fields")
    field = fields.String()
    case_status = fields.String()
    quota = fields.Nested(QuotaRefSchema, metadata={"description": "The ended quota of a `quota_expired` refusal"})
    failures = fields.List(fields.Nested(FailureSchema))


class CaseErrorSchema(ErrorSchema):
    """An error of the cases endpoints: `fields` names each field in error, `failures` the failed eligibility checks."""

    error = fields.Nested(CaseErrorDetailSchema, required=True)


class CompanyNameSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class MeSchema(Schema):
    """The signed-in user."""

    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String()
    role = fields.String(required=True, validate=OneOf(STAFF_ROLES))
    company = fields.Nested(CompanyNameSchema, allow_none=True)
    preferred_language = fields.String(
        allow_none=True,
        validate=OneOf(LANGUAGE_CHOICES),
        metadata={"description": "The language the user chose; null when they have not (pages follow the browser)."},
    )
