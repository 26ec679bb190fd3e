"""Template tags: `{% flag "key" %}…{% else %}…{% endflag %}`, `{% flags_json %}` and `{% variant %}`.

    {% load flags %}
    {% flag "checkout_progress_dots" %}<ol class="dots">…</ol>{% else %}<ol class="crumbs">…</ol>{% endflag %}
    {% flags_json %}   → <script id="vantage-flags" type="application/json">{"apple_pay": true, …}</script>
    {% variant "checkout_progress_indicator" as arm %}{% if arm == "variant_b" %}…{% endif %}

Both evaluate for the current visitor (the request in the template context), from the cached rules.
"""
from django import template
from django.utils.html import json_script

from ..public import context_from_request, evaluate_all, experiment_variant, is_enabled

register = template.Library()


class FlagNode(template.Node):
    def __init__(self, key, nodelist_on, nodelist_off):
        self.key, self.nodelist_on, self.nodelist_off = key, nodelist_on, nodelist_off

    def render(self, context) -> str:
        request = context.get("request")
        visitor = context_from_request(request) if request is not None else {}
        if is_enabled(self.key.resolve(context), visitor):
            return self.nodelist_on.render(context)
        return self.nodelist_off.render(context)


@register.tag("flag")
def do_flag(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError('Use {% flag "flag_key" %}...{% else %}...{% endflag %}.')
    nodelist_on = parser.parse(("else", "endflag"))
    nodelist_off = template.NodeList()
    if parser.next_token().contents == "else":
        nodelist_off = parser.parse(("endflag",))
        parser.delete_first_token()
    return FlagNode(parser.compile_filter(bits[1]), nodelist_on, nodelist_off)


@register.simple_tag(takes_context=True)
def flags_json(context, element_id: str = "vantage-flags"):
    """The visitor's client-side flags as a JSON script tag for page JavaScript."""
    evaluated = context.get("visitor_flags")
    if callable(evaluated):
        values = evaluated()
    else:
        request = context.get("request")
        values = evaluate_all(context_from_request(request) if request is not None else {}, client_side_only=True)
    return json_script(values, element_id)


@register.simple_tag(takes_context=True)
def variant(context, experiment_key: str):
    """The visitor's variant in a running experiment ('' when not in it); logs the exposure once."""
    request = context.get("request")
    return experiment_variant(experiment_key, context_from_request(request) if request is not None else {}) or ""
