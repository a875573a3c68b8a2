"""Names of places and teams as a text in a given language shows them."""
from . import texts


def place_name(place, language: str) -> str:
    """The place's Mongolian name (name_mn) in traditional-script texts when it has one, else its Chinese name."""
    if place is None:
        return texts.render("unknown_place", language)
    return _named(place, language)


def team_name(team, language: str) -> str:
    """The team's Mongolian name in traditional-script texts when it has one, else its Chinese name."""
    return _named(team, language)


def _named(thing, language: str) -> str:
    # Only the traditional script: name_mn is written in it, and a Cyrillic reader's phone may not show it.
    return thing.name_mn if language == "mn" and thing.name_mn else thing.name
