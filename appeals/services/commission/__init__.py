"""AP-09 to AP-13: the standing bodies, the expanded commission of a case, its document requests,
its decision as a protocol and its binding recommendations."""

from appeals.services.commission.access import can_see_commission, is_chair, require_commission_view
from appeals.services.commission.bodies import add_body_member, managed_bodies, remove_body_member
from appeals.services.commission.decision import (
    answer_from_decision,
    outcome_for,
    protocol_pdf,
    record_decision,
    send_intended_refusal,
)
from appeals.services.commission.documents import answer_document_request, request_documents
from appeals.services.commission.forming import (
    form_commission,
    invite_member,
    missing_roles,
    required_roles,
    unseat_member,
)
from appeals.services.commission.recommendations import (
    add_recommendation,
    complete_recommendation,
    withdraw_recommendation,
)

__all__ = [
    "add_body_member",
    "add_recommendation",
    "answer_document_request",
    "answer_from_decision",
    "can_see_commission",
    "complete_recommendation",
    "form_commission",
    "invite_member",
    "is_chair",
    "managed_bodies",
    "missing_roles",
    "outcome_for",
    "protocol_pdf",
    "record_decision",
    "remove_body_member",
    "request_documents",
    "require_commission_view",
    "required_roles",
    "send_intended_refusal",
    "unseat_member",
    "withdraw_recommendation",
]
