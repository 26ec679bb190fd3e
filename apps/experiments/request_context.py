"""Build an evaluation context from a Django request, the same way for every page and app."""
from django.conf import settings

MOBILE_MARKERS = ("Mobile", "Android", "iPhone", "iPod")
TABLET_MARKERS = ("iPad", "Tablet")


def device_from_user_agent(user_agent: str) -> str:
    if any(marker in user_agent for marker in TABLET_MARKERS):
        return "tablet"
    if any(marker in user_agent for marker in MOBILE_MARKERS):
        return "mobile"
    return "desktop"


def context_from_request(request, **extra) -> dict:
    """`user_id` for signed-in users, else the Django session key (created if needed) as
    `session_id`; plus `device`, `region` and `signed_in` for targeting rules."""
    context = {"device": device_from_user_agent(request.headers.get("User-Agent", "")),
               "region": settings.DEPLOY_REGION}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["user_id"] = str(user.pk)
        context["signed_in"] = True
    else:
        context["signed_in"] = False
        session = getattr(request, "session", None)
        if session is not None:
            if not session.session_key:
                session.save()
            context["session_id"] = session.session_key
    context.update(extra)
    return context
