from django import template

register = template.Library()


@register.filter
def may_list_chronologies(user):
    from chronologies.permissions import may_list_requests

    return may_list_requests(user)
