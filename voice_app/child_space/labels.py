"""Words the child's space uses, in versions for each developmental band."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from voice_app.children.models import DevelopmentalBand
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
