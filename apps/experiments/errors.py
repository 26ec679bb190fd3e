"""Error codes of the experiments app (rendered by the core envelope)."""
from apps.core.errors import ApplicationError, Conflict, NotFound


class InvalidRule(ApplicationError):
    status_code = 422
    code = "INVALID_RULE"
    message = "The targeting rule could not be parsed."


class InvalidFlagConfig(ApplicationError):
    status_code = 422
    code = "INVALID_FLAG_CONFIG"
    message = "The flag configuration is not valid."


class FlagNotFound(NotFound):
    code = "FLAG_NOT_FOUND"
    message = "No flag has this key."


class FlagArchived(Conflict):
    code = "FLAG_ARCHIVED"
    message = "This flag is archived and frozen; unarchive it before changing it."


class ExperimentNotFound(NotFound):
    code = "EXPERIMENT_NOT_FOUND"
    message = "No experiment has this key or id."


class InvalidExperiment(ApplicationError):
    status_code = 422
    code = "INVALID_EXPERIMENT"
    message = "The experiment configuration is not valid."


class ExperimentStateConflict(Conflict):
    code = "EXPERIMENT_STATE_CONFLICT"
    message = "The experiment is not in a state that allows this change."


class InvalidEvent(ApplicationError):
    status_code = 422
    code = "INVALID_EVENT"
    message = "The analytics event is not valid."
