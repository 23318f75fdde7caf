"""The fee declaration fields of the intake forms (what the applicant declares for the procedure's fees)."""

from django import template

from motcua.catalog.selectors import fee_rules

register = template.Library()


@register.inclusion_tag("dossiers/_fees.html", takes_context=True)
def fee_declaration_fields(context, procedure, at_counter=False):
    """Inputs for the fees that need a declaration: units of a per-unit fee, the value of a percentage
    fee, the exemptions to claim; what was posted is kept."""
    if procedure is None:
        return {"items": []}
    posted = context["request"].POST if context.get("request") is not None else {}
    items = []
    for rule in fee_rules(procedure):
        if rule.basis == "fixed" and not rule.exemptions:
            continue
        items.append({"rule": rule, "units": posted.get(f"fee_units.{rule.position}", ""),
                      "value": posted.get(f"fee_value.{rule.position}", ""),
                      "claimed": [e.code for e in rule.exemptions if e.code in posted.getlist("fee_claim")]
                      if hasattr(posted, "getlist") else []})
    return {"items": items, "at_counter": at_counter,
            "evidence_seen": hasattr(posted, "get") and posted.get("fee_evidence_seen") == "on"}
