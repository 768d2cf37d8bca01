"""Words the child's space uses, in versions for each developmental band."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from voice_app.children.models import DevelopmentalBand, Relationship
from voice_app.contributions.models import SharingChoice

#: Who will see what the child shares, and that grown-ups must act if they are not safe.
#: Never a promise of total secrecy.
WHO_SEES = {
    DevelopmentalBand.EARLY: _l(
        "Your worker will see what you share. If you tell us you are not safe, grown-ups "
        "must help keep you safe, and they may tell other people who can help."
    ),
    DevelopmentalBand.MIDDLE: _l(
        "Your worker will see what you share, and you choose who else can see it. If you "
        "tell us you are not safe, grown-ups must do something to keep you safe, and that "
        "can mean telling other people who can help."
    ),
    DevelopmentalBand.TEEN: _l(
        "Your social worker sees everything you share here, and you decide who else does. "
        "We cannot promise to keep everything secret: if you or someone else is at risk of "
        "harm, we have to act, and we will tell you what we are doing and why."
    ),
}

SHARING_YOUNGER = {
    SharingChoice.MY_WORKER: _l("Only my worker"),
    SharingChoice.MY_FAMILY_TOO: _l("My family too"),
    SharingChoice.MY_MEETING: _l("The people at my meeting"),
}
SHARING_TEEN = {
    SharingChoice.MY_WORKER: _l("Only my social worker"),
    SharingChoice.MY_FAMILY_TOO: _l("My social worker and my family"),
    SharingChoice.MY_MEETING: _l("Everyone at my meeting"),
}

#: One parent chosen instead of all the family (parents who live apart), in words for each
#: band. Whole phrases without a placeholder, so read-aloud can speak them ahead and each
#: language can say them its own way (``child_space.grown_ups``).
ONE_PARENT = {
    Relationship.MOTHER: {
        # i18n: a 4-7 year old's choice of who sees a drawing: their worker and their mum.
        DevelopmentalBand.EARLY: _l("Mum too"),
        DevelopmentalBand.MIDDLE: _l("Just Mum from my family"),
        DevelopmentalBand.TEEN: _l("My social worker and Mum only"),
    },
    Relationship.FATHER: {
        DevelopmentalBand.EARLY: _l("Dad too"),
        DevelopmentalBand.MIDDLE: _l("Just Dad from my family"),
        DevelopmentalBand.TEEN: _l("My social worker and Dad only"),
    },
}
#: What a child calls a parent, when two people would both be "Mum" (then named too).
CALLED = {Relationship.MOTHER: _l("Mum"), Relationship.FATHER: _l("Dad")}
#: Anyone else in the family, by name ("Robert Thompson too").
ONE_GROWN_UP = {
    DevelopmentalBand.EARLY: _l("%(who)s too"),
    DevelopmentalBand.MIDDLE: _l("Just %(who)s from my family"),
    DevelopmentalBand.TEEN: _l("My social worker and %(who)s only"),
}
#: "My family too", said so that it is clear it means all of them.
ALL_THE_FAMILY = {
    DevelopmentalBand.EARLY: _l("All my family too"),
    DevelopmentalBand.MIDDLE: _l("All my family"),
    DevelopmentalBand.TEEN: _l("My social worker and all my family"),
}

#: Names of the picture-PIN pictures, for screen readers and reading aloud.
PICTURE_NAMES = {
    "cat": _l("Cat"),
    "dog": _l("Dog"),
    "sun": _l("Sun"),
    "star": _l("Star"),
    "tree": _l("Tree"),
    "car": _l("Car"),
    "fish": _l("Fish"),
    "ball": _l("Ball"),
    "flower": _l("Flower"),
}


def sharing_labels(band: DevelopmentalBand) -> dict[SharingChoice, object]:
    return SHARING_TEEN if band is DevelopmentalBand.TEEN else SHARING_YOUNGER
