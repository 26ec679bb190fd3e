"""Error codes of the experiments app (rendered by the core envelope)."""
from apps.core.errors import Conflict, NotFound, Unprocessable


class InvalidRule(Unprocessable):
    code = "INVALID_RULE"
    message = "The targeting rule could not be parsed."


class InvalidFlagConfig(Unprocessable):
    code = "INVALID_FLAG_CONFIG"
    message = "The flag configuration is not valid."


class FlagArchived(Conflict):
    code = "FLAG_ARCHIVED"
    message = "This flag is archived and frozen; unarchive it before changing it."


class ExperimentNotFound(NotFound):
    code = "EXPERIMENT_NOT_FOUND"
    message = "No experiment has this key or id."


class InvalidExperiment(Unprocessable):
    code = "INVALID_EXPERIMENT"
    message = "The experiment configuration is not valid."


class ExperimentStateConflict(Conflict):
    code = "EXPERIMENT_STATE_CONFLICT"
    message = "The experiment is not in a state that allows this change."


class InvalidEvent(Unprocessable):
    code = "INVALID_EVENT"
    message = "The analytics event is not valid."
